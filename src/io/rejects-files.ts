import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { PrivateFile } from './private-file.js';
import { REJECT_COLUMNS } from './rejects.js';

export interface RejectsFile {
  path: string;
  /** When it was last written (ms since the epoch). */
  mtimeMs: number;
}

/** The rejects files in a folder (the `rejects/` beside the database), oldest first. */
export function listRejectsFiles(dir: string): RejectsFile[] {
  if (!existsSync(dir)) return [];
  const out: RejectsFile[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.csv')) continue;
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isFile()) out.push({ path, mtimeMs: st.mtimeMs });
    } catch {
      // gone meanwhile
    }
  }
  return out.sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
}

/**
 * Rewrites a rejects file without the rows `drop` picks (through PrivateFile:
 * 0600, never half a file). A file left with
 * no row is deleted. Returns the rows removed; a file that is not a carnet
 * rejects file (no carnet_line header) is left alone.
 */
export function dropRejectedRows(path: string, drop: (cells: string[]) => boolean): number {
  const text = readFileSync(path, 'utf8').replace(/^\ufeff/, '');
  const first = REJECT_COLUMNS[0];
  if (!text.startsWith(first)) return 0;
  const delimiter = text.charAt(first.length);
  const rows = parse(text, { delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const [header, ...data] = rows;
  if (!header) return 0;
  const kept = data.filter((cells) => !drop(cells));
  const removed = data.length - kept.length;
  if (removed === 0) return 0;
  if (kept.length === 0) {
    rmSync(path, { force: true });
    return removed;
  }
  const out = PrivateFile.create(path, 'the rejects file');
  out.write('\ufeff' + stringify([header, ...kept], { delimiter, record_delimiter: '\r\n' }));
  out.commit();
  return removed;
}
