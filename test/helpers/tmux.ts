import { spawnSync } from 'node:child_process';

export const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;

/** Drives a real terminal: the program sees a TTY, the test types keys and reads the screen. */
export class Tmux {
  private readonly socket = `carnet-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly session = 't';

  constructor(command: string, opts: { width?: number; height?: number } = {}) {
    this.tmux(['new-session', '-d', '-s', this.session, '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 40), command]);
  }

  private tmux(args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } });
    return r.stdout ?? '';
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.session]);
  }

  type(text: string): void {
    this.tmux(['send-keys', '-t', this.session, '-l', text]);
  }

  key(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.session, ...keys]);
  }

  /** Waits until the screen matches, or fails with what it shows. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      last = this.screen();
      if (pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${pattern}; screen:\n${last}`);
  }

  kill(): void {
    this.tmux(['kill-server']);
  }
}
