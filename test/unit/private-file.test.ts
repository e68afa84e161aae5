import { existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivateFile, sweepStaleTemps, writePrivateFile } from '../../src/io/private-file.js';
import { tempDir } from '../helpers/ctx.js';

const t = tempDir('carnet-private-');
afterAll(() => t.cleanup());

describe('PrivateFile: the one writer of files holding personal data', () => {
  it('writes 0600 under a temporary name, visible under its own name only once committed', () => {
    const target = join(t.dir, 'a', 'b', 'report.md');
    const file = PrivateFile.create(target, 'the report');
    file.write('half');
    expect(existsSync(target)).toBe(false);
    expect(statSync(file.tmp).mode & 0o777).toBe(0o600);
    file.write(' and the rest');
    expect(file.commit()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('half and the rest');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.dir, 'a')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(t.dir, 'a', 'b'))).toEqual(['report.md']);
  });

  it('abort leaves the previous file as it was and no temporary file', () => {
    const target = join(t.dir, 'keep.csv');
    writeFileSync(target, 'previous', { mode: 0o640 });
    const file = PrivateFile.create(target);
    file.write('new');
    file.abort();
    file.abort();
    expect(readFileSync(target, 'utf8')).toBe('previous');
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces a symlink instead of writing through it; its target keeps bytes and mode', () => {
    const victim = join(t.dir, 'victim');
    writeFileSync(victim, 'precious', { mode: 0o644 });
    const link = join(t.dir, 'link.md');
    symlinkSync(victim, link);
    writePrivateFile(link, 'report');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(statSync(victim).mode & 0o777).toBe(0o644);
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, 'utf8')).toBe('report');
  });

  it('commit({ overwrite: false }) keeps an existing file and says so (a backup never overwrites)', () => {
    const target = join(t.dir, 'backup.db');
    writeFileSync(target, 'old');
    const file = PrivateFile.create(target);
    file.write('new');
    expect(file.commit({ overwrite: false })).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a folder at the target is a usage error naming it', () => {
    expect(() => PrivateFile.create(t.dir, 'the export')).toThrow(/is a folder/);
  });

  it('sweepStaleTemps removes only temporary files of processes that are gone', () => {
    const dir = join(t.dir, 'sweep');
    writePrivateFile(join(dir, 'x'), '');
    const dead = join(dir, '.x.999999.0123abcd.tmp');
    const mine = join(dir, `.x.${process.pid}.0123abcd.tmp`);
    const other = join(dir, '.x.999999.tmp');
    for (const f of [dead, `${dead}-wal`, mine, other]) writeFileSync(f, '');
    expect(sweepStaleTemps(dir).sort()).toEqual([dead, `${dead}-wal`].sort());
    expect(existsSync(mine) && existsSync(other)).toBe(true);
  });
});
