import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Ctx } from '../context.js';
import { rgpdRepo } from './erase.js';

export interface ScrubReport {
  /** The WAL was moved into the file and truncated to zero bytes (false: another process kept it open). */
  walTruncated: boolean;
  /** VACUUM was needed because a copy survived in a free page. */
  vacuumed: boolean;
  /** How many of the erased identifiers were looked for, byte by byte, in the file and its WAL. */
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
}

const FREE_TEXT = new Set(['notes', 'summary', 'extra', 'label', 'proof']);

/** Byte search: enough for the few identifiers of one act; a purge checks a sample. */
const MAX_NEEDLES = 24;

function fileHolds(path: string, needles: string[]): Set<number> {
  const hits = new Set<number>();
  for (const file of [path, `${path}-wal`]) {
    if (!existsSync(file) || statSync(file).size === 0) continue;
    const bytes = readFileSync(file);
    needles.forEach((n, i) => {
      if (bytes.includes(Buffer.from(n, 'utf8'))) hits.add(i);
    });
  }
  return hits;
}

/**
 * After an erasure has committed: rebuild the full-text index, move the WAL
 * into the file and truncate it (secure_delete has zeroed the freed cells),
 * then check the raw bytes for every identifier of the person. One deletion
 * leaves no trace (measured from 10 to 20,000 customers); but when deletions
 * make SQLite rebalance b-tree pages, the old copy of a moved cell can stay
 * in a page's unused area (seen for ~4 % of e-mails in the e-mail index after
 * erasing 10,000 people at once). So VACUUM runs whenever a trace is found,
 * and always after a bulk erasure (`always`), whose identifiers can only be
 * checked by sample.
 */
export interface ScrubOptions {
  /** VACUUM whatever the check finds (a bulk purge). */
  always?: boolean;
  /**
   * Names: checked in the bytes too, but other people share them, so one found
   * in another row is no warning; one found only in the bytes triggers VACUUM.
   */
  names?: string[];
}

export function scrubTraces(ctx: Ctx, allNeedles: string[], opts: ScrubOptions = {}): ScrubReport {
  const repo = rgpdRepo(ctx);
  // A purge erases many: check an even sample of them.
  const step = Math.max(1, Math.ceil(allNeedles.length / MAX_NEEDLES));
  const needles = allNeedles.filter((_, i) => i % step === 0);
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
  const scan = repo.traceScan(hits);
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
  };
}

/** Backups made with `carnet backup` (from the audit log) and before-upgrade snapshots that still exist. */
export function backupsOf(ctx: Ctx): string[] {
  const found = new Set<string>();
  for (const e of ctx.store.audit.list({ action: 'database.backup', limit: 10_000 })) {
    const file = e.details.file;
    if (typeof file === 'string' && existsSync(file)) found.add(file);
  }
  const dir = dirname(ctx.store.path);
  const prefix = `${basename(ctx.store.path)}.before-upgrade-`;
  try {
    for (const f of readdirSync(dir)) if (f.startsWith(prefix)) found.add(join(dir, f));
  } catch {
    // an unreadable folder has no backups we could name
  }
  return [...found].sort();
}
