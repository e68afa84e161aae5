import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCarnet } from '../helpers/cli.js';
import { integrity } from '../helpers/bulk-db.js';
import { tempDir } from '../helpers/ctx.js';

/** A 3 MB disk, when this machine lets us mount one (root); otherwise the test says so and skips. */
const t = tempDir('carnet-disk-');
const disk = join(t.dir, 'small');
mkdirSync(disk);
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', disk]).status === 0;
afterAll(() => {
  if (mounted) spawnSync('umount', [disk]);
  t.cleanup();
});

describe.skipIf(!mounted)('a file bigger than the free disk', () => {
  it('fails cleanly: a message, no stack, nothing half-written, the database still sound', () => {
    const db = join(disk, 'carnet.db');
    const env = { CARNET_DB: db };
    expect(runCarnet(['add', '--last-name', 'Avant', '--email', 'avant@example.fr'], { env }).code).toBe(0);
    const csv = join(t.dir, 'big.csv');
    const lines = ['nom;email;notes'];
    for (let i = 0; i < 40_000; i++) lines.push(`Nom${i};c${i}@example.fr;${'quelques mots '.repeat(6)}`);
    writeFileSync(csv, lines.join('\n'));
    const r = runCarnet(['import', csv, '--rejects', join(t.dir, 'rejects.csv')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: the disk is full: nothing was written — free some space/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(integrity(db)).toBe('ok');
    const list = runCarnet(['list', '--json'], { env });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { last_name: string }[]).map((c) => c.last_name)).toEqual(['Avant']);
  });
});
