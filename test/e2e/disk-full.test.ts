import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCarnet } from '../helpers/cli.js';
import { integrity } from '../helpers/bulk-db.js';
import { tempDir } from '../helpers/ctx.js';

/**
 * A full disk is the machine's state, not a bug: exit 6, what happened, what
 * to do, nothing changed and nothing half-written. A 3 MB tmpfs when this
 * machine lets us mount one (root); otherwise the tests say why and skip.
 */
const t = tempDir('carnet-disk-');
const disk = join(t.dir, 'small');
mkdirSync(disk);
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', disk]).status === 0;
if (!mounted) console.warn('disk-full tests skipped: mounting a small tmpfs needs root (mount -t tmpfs)');
afterAll(() => {
  if (mounted) spawnSync('umount', [disk]);
  t.cleanup();
});

/** Fills the small disk but for `free` bytes. */
function fill(free: number): string {
  const filler = join(disk, 'filler');
  writeFileSync(filler, '');
  const df = spawnSync('df', ['-B1', '--output=avail', disk], { encoding: 'utf8' });
  const avail = Number(df.stdout.trim().split('\n').pop());
  writeFileSync(filler, Buffer.alloc(Math.max(0, avail - free)));
  return filler;
}

/** Files on the small disk other than the database and the filler: must be none after a failure. */
function leftovers(except: string[] = []): string[] {
  return readdirSync(disk).filter((f) => !['filler', 'carnet.db', 'carnet.db-wal', 'carnet.db-shm', ...except].includes(f));
}

describe.skipIf(!mounted)('a full disk', () => {
  it('import: exit 6, a message, no stack, nothing half-written, the database still sound', () => {
    const db = join(disk, 'carnet.db');
    const env = { CARNET_DB: db };
    expect(runCarnet(['add', '--last-name', 'Avant', '--email', 'avant@example.fr'], { env }).code).toBe(0);
    const csv = join(t.dir, 'big.csv');
    const lines = ['nom;email;notes'];
    for (let i = 0; i < 40_000; i++) lines.push(`Nom${i};c${i}@example.fr;${'quelques mots '.repeat(6)}`);
    writeFileSync(csv, lines.join('\n'));
    const r = runCarnet(['import', csv, '--rejects', join(t.dir, 'rejects.csv')], { env });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^error: the disk holding .*small is full: nothing was written, the database is as it was — free some space/m);
    expect(r.stderr).not.toMatch(/bug in carnet|^\s+at /m);
    expect(integrity(db)).toBe('ok');
    const list = runCarnet(['list', '--json'], { env });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { last_name: string }[]).map((c) => c.last_name)).toEqual(['Avant']);
  });

  it('backup, rgpd access/register --out and export --out: exit 6, no partial file under any name', () => {
    const db = join(t.dir, 'big.db');
    const env = { CARNET_DB: db };
    expect(runCarnet(['add', '--last-name', 'Meyer', '--email', 'elodie@example.fr', '--notes', 'x'.repeat(100_000)], { env }).code).toBe(0);
    const filler = fill(0);
    try {
      const cases: [string[], string][] = [
        [['backup', join(disk, 'copy.db')], 'copy.db'],
        [['rgpd', 'access', 'elodie@example.fr', '--out', join(disk, 'access.md')], 'access.md'],
        [['rgpd', 'register', '--out', join(disk, 'register.md')], 'register.md'],
        [['export', '--out', join(disk, 'export.csv'), '--columns', 'notes'], 'export.csv'],
      ];
      for (const [args, name] of cases) {
        const r = runCarnet(args, { env });
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(6);
        expect(r.stderr).toMatch(/^error: the disk (holding .* )?is full/m);
        expect(r.stderr).toMatch(/nothing was (changed|written)/);
        expect(r.stderr).not.toMatch(/bug in carnet/);
        expect(existsSync(join(disk, name)), name).toBe(false);
        expect(leftovers(), name).toEqual([]);
      }
    } finally {
      writeFileSync(filler, '');
    }
    // With room again, the same backup works.
    expect(runCarnet(['backup', join(disk, 'copy.db')], { env }).code).toBe(0);
    expect(statSync(join(disk, 'copy.db')).mode & 0o777).toBe(0o600);
  });
});
