import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Ctx } from '../context.js';
import { rgpdRepo } from './erase.js';
import { erasureRepo } from './identifiers.js';
import type { Duration } from './duration.js';
import { NeedleSet } from './needles.js';
import { scrubRejects, type RejectsReport } from './rejects.js';
import { KEY } from '../fields/catalogue.js';

export interface ScrubReport {
  /** The WAL was moved into the file and truncated to zero bytes (false: another process kept it open). */
  walTruncated: boolean;
  /** VACUUM was needed because a copy survived in a free page. */
  vacuumed: boolean;
  /** How many of the erased identifiers were looked for, byte by byte, in the file and its WAL (all of them). */
  checked: number;
  /** How many of those were still found there (0 is the goal). */
  fileTraces: number;
  /**
   * Rows that still hold one of the identifiers: another record sharing the
   * e-mail or phone (a duplicate of the same person?) or a table this
   * version does not know. Names the place, never the value.
   */
  rowTraces: { table: string; column: string; rows: number }[];
  /** Rows of free text (notes, summaries, imported columns) that still mention the person's name. */
  mentions: { table: string; column: string; rows: number }[];
  /** Backups made earlier that still contain the person: they age out, or restore then erase again. */
  backups: string[];
  /** Rejects files beside the database: the person's rows removed from them, old files deleted. */
  rejects: RejectsReport;
  /** On a server: copies carnet cannot reach nor erase (WAL archives, base backups, replicas, pg_stat_statements). */
  beyondReach: readonly string[];
}

const FREE_TEXT = new Set([KEY.notes, 'summary', 'extra', 'label', 'proof']);

/** Up to this many identifiers, the row check is one SQL query per column; beyond, one pass over each column's values. */
const SQL_NEEDLES = 24;

function fileHolds(path: string, needles: string[]): Set<number> {
  return new NeedleSet(needles).inFiles([path, `${path}-wal`]);
}

/** Which columns still hold which needles, reading each text column once whatever the number of needles. */
function traceScanMany(ctx: Ctx, needles: string[]): { table: string; column: string; rows: number; needles: number[] }[] {
  const repo = erasureRepo(ctx);
  const set = new NeedleSet(needles);
  const found: { table: string; column: string; rows: number; needles: number[] }[] = [];
  for (const { table, column } of repo.textColumns()) {
    let rows = 0;
    const hit = new Set<number>();
    for (const v of repo.columnValues(table, column)) {
      const inRow = set.scan(Buffer.from(v, 'utf8'), new Set());
      for (const i of inRow) hit.add(i);
      if (inRow.size > 0) rows++;
    }
    if (rows > 0) found.push({ table, column, rows, needles: [...hit].sort((a, b) => a - b) });
  }
  return found;
}

/**
 * After an erasure has committed: rebuild the full-text index, move the WAL
 * into the file and truncate it (secure_delete has zeroed the freed cells),
 * then check the raw bytes for every identifier of the person. One deletion
 * leaves no trace (measured from 10 to 20,000 customers); but when deletions
 * make SQLite rebalance b-tree pages, the old copy of a moved cell can stay
 * in a page's unused area (seen for ~4 % of e-mails in the e-mail index after
 * erasing 10,000 people at once). So VACUUM runs whenever a trace is found,
 * and always after a bulk erasure (`always`). Every identifier is checked, in
 * one pass over the file and its WAL (NeedleSet), however many were erased.
 */
export interface ScrubOptions {
  /** VACUUM whatever the check finds (a bulk purge). */
  always?: boolean;
  /**
   * Names: checked in the bytes too, but other people share them, so one found
   * in another row is no warning; one found only in the bytes triggers VACUUM.
   */
  names?: string[];
  /** Rejects files older than this are deleted (a purge applies the policy's `rejects`). */
  rejectsRetention?: Duration;
}

export function scrubTraces(ctx: Ctx, allNeedles: string[], opts: ScrubOptions = {}): ScrubReport {
  const repo = rgpdRepo(ctx);
  // Every identifier is checked, in one pass over the bytes whatever their number.
  const needles = allNeedles;
  const names = (opts.names ?? []).filter((n) => !needles.includes(n));
  const all = [...needles, ...names];
  ctx.store.maintenance.optimiseFts();
  let cp = repo.checkpoint();
  const path = ctx.store.path;
  const onDisk = path !== ':memory:' && path !== '' && existsSync(path);
  let vacuumed = false;
  const vacuum = () => {
    ctx.store.maintenance.vacuum();
    cp = repo.checkpoint();
    vacuumed = true;
  };
  if (onDisk && opts.always && !cp.busy) vacuum();
  // Bytes first (cheap); rows only for what the bytes still show: another record may hold
  // the same e-mail legitimately (a duplicate), or a table this version does not know.
  const hits = onDisk ? [...fileHolds(path, all)].map((i) => all[i] ?? '') : all;
  const scan = hits.length <= SQL_NEEDLES ? repo.traceScan(hits) : traceScanMany(ctx, hits);
  const inRows = new Set(scan.flatMap((x) => x.needles.map((i) => hits[i])));
  let left = hits.filter((n) => !inRows.has(n));
  if (onDisk && left.length > 0 && !cp.busy && !vacuumed) {
    vacuum();
    left = [...fileHolds(path, left)].map((i) => left[i] ?? '');
  }
  const nameSet = new Set(names);
  return {
    walTruncated: !cp.busy,
    vacuumed,
    checked: onDisk ? all.length - inRows.size : 0,
    fileTraces: onDisk ? left.length : 0,
    rowTraces: scan
      .filter((x) => x.needles.some((i) => !nameSet.has(hits[i] ?? '')))
      .map(({ table, column, rows }) => ({ table, column, rows })),
    mentions: scan
      .filter((x) => FREE_TEXT.has(x.column) && x.needles.some((i) => nameSet.has(hits[i] ?? '')))
      .map(({ table, column, rows }) => ({ table, column, rows })),
    backups: onDisk ? backupsOf(ctx) : [],
    rejects: scrubRejects(ctx, allNeedles, opts.rejectsRetention ?? null),
    beyondReach: ctx.store.beyondReach(),
  };
}

/** Backups made with `carnet backup` (from the audit log) and before-upgrade snapshots that still exist. */
export function backupsOf(ctx: Ctx): string[] {
  const found = new Set<string>();
  for (const e of ctx.store.audit.list({ action: 'database.backup', limit: 10_000 })) {
    const file = e.details.file;
    if (typeof file === 'string' && existsSync(file)) found.add(file);
  }
  const file = ctx.store.file;
  if (file === null) return [...found];
  const dir = dirname(file);
  const prefix = `${basename(file)}.before-upgrade-`;
  try {
    for (const f of readdirSync(dir)) if (f.startsWith(prefix)) found.add(join(dir, f));
  } catch {
    // an unreadable folder has no backups we could name
  }
  return [...found].sort();
}
