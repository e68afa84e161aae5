import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, sandbox, type Sandbox } from '../helpers/cli.js';
import { seedDedupe } from '../fixtures/dedupe/people.js';

/** The interactive review, driven for real in a terminal: tmux types the keys and reads the screen. */
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `carnet-dedupe-${process.pid}`;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return r.stdout ?? '';
}

function screen(): string {
  return tmux('capture-pane', '-t', 'review', '-p', '-S', '-200');
}

async function waitFor(re: RegExp, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (re.test(s)) return s;
    if (Date.now() > end) throw new Error(`screen never showed ${re}:\n${s}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe.skipIf(!hasTmux)('carnet dedupe: interactive review in a terminal', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = sandbox('carnet-dedupe-review-');
    seedDedupe(sb);
  });
  afterAll(() => {
    tmux('kill-server');
    sb.cleanup();
  });

  it('shows each cluster side by side, merges with chosen values, remembers "not the same"', async () => {
    const cmd = `env -u CI CARNET_DB='${sb.db}' TERM=xterm-256color ${process.execPath} ${BIN} dedupe; echo "EXIT=$?"; sleep 60`;
    tmux('new-session', '-d', '-s', 'review', '-x', '160', '-y', '50', cmd);
    let s = await waitFor(/What should carnet do\?/);
    expect(s).toMatch(/Cluster 1 of 2/);
    expect(s).toMatch(/first_name\s+Jean-Pierre\s+J\.-P\./);
    expect(s).toMatch(/#1 \(kept\)/);

    // Cluster 1: merge, taking the defaults: Jean-Pierre is the default although J.-P. is newer (the fuller spelling wins).
    tmux('send-keys', '-t', 'review', 'Down', 'Enter');
    s = await waitFor(/first_name: which value stays\?/);
    expect(s).toMatch(/❯ Jean-Pierre/);
    tmux('send-keys', '-t', 'review', 'Enter');
    await waitFor(/email: which value stays\?/);
    tmux('send-keys', '-t', 'review', 'Enter');
    await waitFor(/address_line1: which value stays\?/);
    tmux('send-keys', '-t', 'review', 'Enter');
    s = await waitFor(/Cluster 2 of 2/);
    expect(s).toMatch(/merged into #1 \(merge #1; carnet dedupe undo 1 reverts it\)/);

    // Cluster 2: not the same.
    await waitFor(/Cluster 2 of 2[\s\S]*What should carnet do\?/);
    tmux('send-keys', '-t', 'review', 'Down', 'Down', 'Enter');
    s = await waitFor(/EXIT=\d+/);
    expect(s).toMatch(/1 merged, 1 marked not the same, 0 skipped/);
    expect(s).toMatch(/EXIT=0/);

    const list = sb.json<{ id: number; first_name: string | null; email: string | null }[]>(['list']);
    expect(list.map((c) => c.id)).toEqual([1, 3, 4, 5]);
    expect(list[0]).toMatchObject({ first_name: 'Jean-Pierre', email: 'jean-pierre.dupont@outlook.fr' });
    const again = sb.json<{ clusters: unknown[] }>(['dedupe', '--dry-run']);
    expect(again.clusters).toHaveLength(0);
  });
});
