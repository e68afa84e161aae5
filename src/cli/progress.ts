import { SingleBar } from 'cli-progress';
import type { GlobalOpts } from './context.js';

/** On a terminal only (stderr a TTY, not --quiet, not CI, not a dumb terminal): progress is for a person watching. */
export function showsProgress(g: GlobalOpts): boolean {
  return Boolean(process.stderr.isTTY) && !g.quiet && process.env.CI !== 'true' && process.env.TERM !== 'dumb';
}

/** A bar counting records done out of a total, with the rate and an ETA; null when nobody watches. */
export function countBar(g: GlobalOpts, label: string): { update: (done: number, total: number) => void; stop: () => void } | null {
  if (!showsProgress(g)) return null;
  let bar: SingleBar | null = null;
  return {
    update: (done, total) => {
      if (!bar) {
        bar = new SingleBar({ format: `${label} [{bar}] {percentage}% · {value}/{total} · ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 20 });
        bar.start(total, 0);
      }
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}

/**
 * The step a long synchronous operation is in, on one line that the next step
 * overwrites (a TTY write is synchronous, so it shows even while the event
 * loop is busy). Fed by the operation's trace hook.
 */
export function stepLine(g: GlobalOpts, label: string): { step: (name: string) => void; stop: () => void } | null {
  if (!showsProgress(g)) return null;
  const started = Date.now();
  return {
    step: (name) => process.stderr.write(`\r\u001b[2K${label}: ${name} done (${((Date.now() - started) / 1000).toFixed(1)} s)…`),
    stop: () => process.stderr.write('\r\u001b[2K'),
  };
}
