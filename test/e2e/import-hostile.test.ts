import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/cli.js';
import { tableDigest } from '../helpers/bulk-db.js';

let s: Sandbox;
beforeAll(() => {
  s = sandbox();
  expect(s.run(['add', '--last-name', 'Témoin', '--email', 'temoin@example.fr']).code).toBe(0);
});
afterAll(() => s.cleanup());

function file(name: string, content: string | Buffer): string {
  const p = join(s.dir, name);
  writeFileSync(p, content);
  return p;
}

const utf8 = (x: string) => Buffer.from(x, 'utf8');
const CASES: [string, () => Buffer][] = [
  ['random bytes', () => randomBytes(64 * 1024)],
  ['a quote never closed', () => utf8('nom;email\nDupont;"dupont@example.fr\nMartin;martin@example.fr\n')],
  ['NUL bytes in a UTF-8 file', () => utf8('nom,email\nDu\u0000pont,nul@example.fr\n\u0000\u0000\n')],
  ['a 10 MB field', () => utf8(`nom,notes\nGrand,${'x'.repeat(10 * 1024 * 1024)}\n`)],
  ['a 10 MB field of words', () => utf8(`nom,notes\nBavard,${'mot '.repeat(2_500_000)}\n`)],
  ['10,000 columns', () => utf8(`${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')},email\n${Array.from({ length: 10_000 }, (_, i) => `v${i}`).join(',')},wide@example.fr\n`)],
  ['invalid UTF-8 in a UTF-8 file', () => Buffer.concat([utf8('nom,email\nÉlodie,elodie@example.fr\n'), Buffer.from([0x44, 0xff, 0xfe, 0x2c]), utf8('bad@example.fr\n')])],
  ['a binary file named .csv', () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(32 * 1024)])],
  ['only a BOM', () => Buffer.from([0xef, 0xbb, 0xbf])],
  ['CR line ends and a stray quote', () => utf8('nom;email\rDu"pont;a@example.fr\rMartin;b@example.fr\r')],
];

describe('import of hostile files with the real binary', () => {
  for (const [name, make] of CASES) {
    it(`${name}: exit 0 or 3, a one-line message, no stack; unchanged when refused`, () => {
      const path = file(`${name.replace(/\W+/g, '-')}.csv`, make());
      const before = tableDigest(s.db);
      const r = s.run(['import', path, '--json']);
      expect([0, 3], r.stderr).toContain(r.code);
      expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(r.stderr).not.toMatch(/bug in carnet/);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors.length).toBeLessThanOrEqual(1);
      if (r.code === 3 && errors.length === 1) {
        // The file was refused as a whole: nothing was written.
        expect(tableDigest(s.db)).toEqual(before);
        expect(r.stdout).toBe('');
      } else {
        const counts = JSON.parse(r.stdout) as { read: number; rejected: number };
        expect(counts.read).toBeGreaterThanOrEqual(0);
        if (r.code === 3) expect(counts.rejected).toBeGreaterThan(0);
      }
    });
  }

  it('names the line of a quote that is never closed', () => {
    const r = s.run(['import', file('quote.csv', utf8('nom;email\nDupont;dupont@example.fr\nMartin;"martin@example.fr\n'))]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/line 3/);
  });
});
