import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isoNow, type Ctx } from './context.js';
import type { OperationTimeRow } from '../db/repositories/operations.js';
import type { ServerReport } from '../db/repositories/maintenance.js';
import { lastOperations } from './operations.js';
import { rejectsFilesOf } from './rgpd/rejects.js';

export interface FileCheck {
  path: string;
  exists: boolean;
  mode: string | null;
  private: boolean;
}

export interface DoctorReport {
  path: string;
  ok: boolean;
  integrity: string[];
  foreignKeyProblems: number;
  schema: { level: string | null; applied: number; known: number; upToDate: boolean };
  journalMode: string;
  files: FileCheck[];
  counts: Record<string, number>;
  /** How long the last run of each long operation took. */
  operations: OperationTimeRow[];
  /** Files of rows imports refused, beside the database (personal data until `rgpd purge` deletes them). */
  rejects: string[];
  /** A server's database: its role, the privileges carnet needs, and what carnet cannot reach. */
  server: (ServerReport & { beyondReach: readonly string[] }) | null;
  warnings: string[];
}

export function checkFileMode(path: string): FileCheck {
  if (!existsSync(path)) return { path, exists: false, mode: null, private: true };
  const st = statSync(path);
  const mode = st.mode & 0o777;
  return { path, exists: true, mode: mode.toString(8).padStart(3, '0'), private: (mode & 0o077) === 0 };
}

/**
 * Files carnet leaves beside the database that hold personal data: the
 * automatic before-upgrade backups and the import rejects folder.
 */
export function companionFiles(dbPath: string): string[] {
  const dir = dirname(dbPath);
  const base = basename(dbPath);
  const out: string[] = [];
  try {
    for (const f of readdirSync(dir)) if (f.startsWith(`${base}.before-upgrade-`)) out.push(join(dir, f));
  } catch {
    // an unreadable folder is reported by the database checks themselves
  }
  return [...out, ...rejectsFiles(dir)];
}

/** The import rejects folder kept in dir and its files (beside a SQLite file, or in $XDG_DATA_HOME/carnet for a server). */
function rejectsFiles(dir: string): string[] {
  const rejects = join(dir, 'rejects');
  try {
    return existsSync(rejects) && statSync(rejects).isDirectory() ? [rejects, ...readdirSync(rejects).map((f) => join(rejects, f))] : [];
  } catch {
    return []; // an unreadable folder is reported by the database checks themselves
  }
}

/** Integrity, schema level, file modes: what a person checks before trusting the file. */
export function doctor(ctx: Ctx): DoctorReport {
  const m = ctx.store.maintenance;
  const integrity = m.integrityCheck();
  const fk = m.foreignKeyProblems();
  const { applied, known } = m.schema();
  const path = ctx.store.label;
  const file = ctx.store.file;
  // A server's database is no file of ours, but the rejects carnet keeps for it on this machine are.
  const local = ctx.store.localDir;
  const kept = file !== null ? [file, `${file}-wal`, `${file}-shm`, ...companionFiles(file)] : local !== null ? rejectsFiles(local) : [];
  const files = kept.map(checkFileMode).filter((f) => f.exists || f.path === file);
  const serverReport = m.server();
  const server = serverReport === null ? null : { ...serverReport, beyondReach: ctx.store.beyondReach() };
  const warnings: string[] = [];
  if (server !== null) {
    for (const p of server.privileges) if (!p.granted) warnings.push(`role ${server.role} lacks ${p.what}`);
  }
  if (!(integrity.length === 1 && integrity[0] === 'ok')) warnings.push(`integrity check failed: ${integrity.slice(0, 5).join('; ')}`);
  if (fk > 0) warnings.push(`${fk} rows point to records that no longer exist`);
  for (const f of files) {
    if (f.exists && !f.private) {
      const fix = statSync(f.path).isDirectory() ? 'chmod 700' : 'chmod 600';
      warnings.push(`${f.path} is mode ${f.mode}: other users can read personal data (${fix} ${f.path})`);
    }
  }
  const upToDate = applied.length === known.length && known.every((k, i) => applied[i] === k);
  if (!upToDate) warnings.push('schema level differs from this program');
  return {
    path,
    ok: warnings.length === 0,
    integrity,
    foreignKeyProblems: fk,
    schema: { level: applied[applied.length - 1] ?? null, applied: applied.length, known: known.length, upToDate },
    journalMode: m.journalMode(),
    files,
    counts: m.tableCounts(),
    operations: upToDate ? lastOperations(ctx) : [],
    rejects: rejectsFilesOf(ctx),
    server,
    warnings,
  };
}

export interface InitResult {
  path: string;
  created: boolean;
  schemaLevel: string | null;
}

export function init(ctx: Ctx, created: boolean): InitResult {
  const { applied } = ctx.store.maintenance.schema();
  if (created) {
    ctx.store.tx(() => ctx.store.audit.record({ at: isoNow(ctx), action: 'database.init', actor: ctx.actor ?? null }));
  }
  return { path: ctx.store.label, created, schemaLevel: applied[applied.length - 1] ?? null };
}

/** A consistent copy of the live database, mode 0600, while others may be writing. */
export function backup(ctx: Ctx, target: string): { path: string; bytes: number } {
  ctx.store.maintenance.backupTo(target);
  ctx.store.tx(() => ctx.store.audit.record({ at: isoNow(ctx), action: 'database.backup', actor: ctx.actor ?? null, details: { file: target } }));
  return { path: target, bytes: statSync(target).size };
}
