import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../context.js';
import { dropRejectedRows, listRejectsFiles } from '../../io/rejects-files.js';
import { cutoffDay, type Duration } from './duration.js';
import { NeedleSet } from './needles.js';

/**
 * Rows an import refused are kept beside the database (rejects/<file>-<date>.csv,
 * 0600) so that they can be corrected and imported again. They hold personal
 * data like the file itself: an erasure removes the person's rows from them,
 * and the retention policy (`rejects`, 30 days by default) deletes them.
 */
export interface RejectsReport {
  /** Rows of erased people removed from rejects files. */
  rows: number;
  /** Files those rows were removed from. */
  files: string[];
  /** Files deleted because they were older than the policy allows. */
  expired: string[];
  /** Rejects files still there afterwards. */
  left: string[];
}

export function rejectsFolder(ctx: Ctx): string | null {
  const dir = ctx.store.localDir;
  return dir === null ? null : join(dir, 'rejects');
}

export function rejectsFilesOf(ctx: Ctx): string[] {
  const dir = rejectsFolder(ctx);
  return dir ? listRejectsFiles(dir).map((f) => f.path) : [];
}

/**
 * A row goes when one of its cells holds an erased identifier as typed or
 * normalised, whatever the case, or spells one of the erased phones with
 * other separators (06.11.22.33.44 for +33611223344).
 */
function rowMatcher(needles: string[]): (cells: string[]) => boolean {
  const set = new NeedleSet([...new Set(needles.map((n) => n.toLowerCase()))]);
  const digits = new Set<string>();
  for (const n of needles) {
    const d = n.replace(/\D/g, '');
    if (d.length < 9 || d.length < n.replace(/[\s.()/+-]/g, '').length) continue;
    digits.add(d);
    if (n.startsWith('+33') && d.length === 11) digits.add(`0${d.slice(2)}`);
  }
  return (cells) => {
    if (set.scan(Buffer.from(cells.join('\u0001').toLowerCase(), 'utf8'), new Set()).size > 0) return true;
    return digits.size > 0 && cells.some((c) => digits.has(c.replace(/\D/g, '')));
  };
}

export function scrubRejects(ctx: Ctx, needles: string[], retention: Duration | null): RejectsReport {
  const dir = rejectsFolder(ctx);
  const report: RejectsReport = { rows: 0, files: [], expired: [], left: [] };
  if (!dir) return report;
  const cutoff = retention ? Date.parse(`${cutoffDay(ctx.now(), retention)}T00:00:00Z`) : null;
  const files = listRejectsFiles(dir);
  const drop = needles.length > 0 && files.length > 0 ? rowMatcher(needles) : null;
  for (const f of files) {
    if (cutoff !== null && f.mtimeMs < cutoff) {
      rmSync(f.path, { force: true });
      report.expired.push(f.path);
      continue;
    }
    if (drop) {
      const n = dropRejectedRows(f.path, drop);
      if (n > 0) {
        report.rows += n;
        report.files.push(f.path);
      }
    }
  }
  report.left = listRejectsFiles(dir).map((f) => f.path);
  return report;
}
