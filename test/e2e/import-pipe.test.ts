import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sandbox } from '../helpers/cli.js';

/**
 * `carnet import` of a named pipe, as `carnet import <(zcat clients.csv.gz)`
 * or a FIFO gives it: no seeking, one read. It failed with ESPIPE for every
 * format ("this is a bug in carnet"); it is now read as stdin is — a workbook
 * or address book spooled, CSV as it comes — under the pipe's name.
 */
const FIX = join(ROOT, 'test', 'fixtures', 'workbooks');
const CARDS = ['Meyer;Élodie;elodie.meyer@sfr.fr', 'Dupont;Jean;jean.dupont@gmail.com']
  .map((c) => c.split(';'))
  .map(([n, g, e]) => `BEGIN:VCARD\r\nVERSION:3.0\r\nN:${n};${g};;;\r\nFN:${g} ${n}\r\nEMAIL:${e}\r\nEND:VCARD\r\n`)
  .join('');
const FILES: [string, string | null, number][] = [
  ['CSV', join(FIX, 'clients-fr.csv'), 6],
  ['.xlsx', join(FIX, 'clients-fr.xlsx'), 6],
  ['.ods', join(FIX, 'clients-fr.ods'), 6],
  ['vCard', null, 2],
];

describe('import of a named pipe', () => {
  for (const [what, given, rows] of FILES) {
    it(`reads a ${what} file through a FIFO, under the pipe's name`, () => {
      const t = sandbox('carnet-import-pipe-');
      try {
        const file = given ?? join(t.dir, 'cards.vcf');
        if (given === null) writeFileSync(file, CARDS);
        const fifo = join(t.dir, 'clients.fifo');
        execFileSync('mkfifo', [fifo]);
        // The writer blocks until carnet opens the pipe, then streams the file into it.
        const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', file, fifo], { stdio: 'ignore' });
        const r = t.run(['import', fifo, '--json']);
        writer.kill();
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout) as { read: number; inserted: number; file: string };
        expect(out).toMatchObject({ read: rows, inserted: rows });
        expect(out.file).toBe('clients.fifo');
        expect(r.stderr).not.toContain('bug in carnet');
      } finally {
        t.cleanup();
      }
    });
  }
});
