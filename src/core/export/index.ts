import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { isoNow, type Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import type { Channel } from '../model.js';
import { isMobileE164 } from '../normalise/index.js';
import { hashIdentifier } from '../rgpd/suppression.js';
import { ExportRepo, reasonCount, type ExportQuery, type LineKind, type LineSpec, type ReasonSpec } from '../../db/repositories/export.js';
import { CellKind } from '../../io/write-csv.js';
import { openSink } from '../../io/write-sink.js';
import { channelsOfSource, compileColumns, type CompiledColumns } from './columns.js';
import { Gate } from './gate.js';
import { loadIds } from './ids.js';
import { planExport, type ExportPlan } from './plan.js';
import { customSource, VCARD_SOURCES } from './vcard-cards.js';
import { customFields } from '../fields/manage.js';
import { writeCards } from './write-cards.js';
import { tableHead, tableTail, writeTable } from './write-table.js';
import { exportThreads, parallelTuning, workerAvailable, writeParallel } from './parallel.js';
import { formatOfName, type ExportFormat, type ExportInput, type ExportResult } from './types.js';
import type { SliceSetup } from './slices.js';

export { planExport, parseFor } from './plan.js';
export * from './types.js';

/** Is `out` the database or one of its companion files (-wal, -shm, -journal)? */
function sameFile(out: string, db: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const target = real(out);
  const base = real(db);
  return [base, `${base}-wal`, `${base}-shm`, `${base}-journal`].includes(target);
}

export function exportRepo(ctx: Ctx): ExportRepo {
  return ctx.store.extension('export', (db) => new ExportRepo(db));
}

/** With --for, data of a channel the purpose does not cover is never selected (read as NULL). */
function withheldStatically(source: string, channels: readonly Channel[] | null): boolean {
  if (!channels) return false;
  const of = channelsOfSource(source);
  return of.length > 0 && !of.some((c) => channels.includes(c));
}

const LINE_KINDS: Readonly<Record<number, LineKind>> = { [CellKind.number]: 'number', [CellKind.json]: 'json', [CellKind.list]: 'list' };

/**
 * Plain columns (no preset, at most one channel to gate on) are built into
 * one line per row by SQLite itself: the fast path for big exports.
 */
function lineSpec(plan: ExportPlan, cols: CompiledColumns): LineSpec | undefined {
  if (plan.preset || cols.project !== null || (plan.channels && plan.channels.length > 1)) return undefined;
  const kinds = cols.kinds.map((k) => LINE_KINDS[k] ?? 'text');
  if ((plan.format === 'csv' || plan.format === 'tsv') && plan.csv) {
    return { format: 'csv', kinds, listJoin: plan.csv.listJoin, decimalComma: plan.csv.decimalComma };
  }
  if ((plan.format === 'json' || plan.format === 'ndjson') && cols.headers.length <= 60) return { format: 'json', keys: cols.headers, kinds };
  return undefined;
}

function tableFormat(f: ExportFormat): SliceSetup['format'] {
  if (f === 'vcard' || f === 'xlsx' || f === 'ods') throw new Error(`${f} is not written in slices`);
  return f;
}

function warningsOf(plan: ExportPlan, idsNotFound: number, withheldColumns: string[]): string[] {
  const w: string[] = [];
  if (plan.preset?.mailing && !plan.channels) {
    w.push(`consent was not checked: add --for marketing:email (or :sms) to send ${plan.preset.name} only the people who agreed`);
  }
  const named = formatOfName(plan.out);
  if (named !== undefined && named !== plan.format) {
    w.push(`${basename(plan.out ?? '')} holds ${plan.format.toUpperCase()}, though its name says ${named}: a program that trusts the name may refuse it`);
  }
  if (idsNotFound > 0) w.push(`${idsNotFound} id${idsNotFound === 1 ? '' : 's'} given with --ids match${idsNotFound === 1 ? 'es' : ''} no customer`);
  if (withheldColumns.length > 0 && plan.channels) {
    w.push(`left empty, as --for marketing:${plan.channels.join(',')} does not cover them: ${withheldColumns.join(', ')}`);
  }
  return w;
}

/**
 * `carnet export`: selects customers (filter, categories, ids), keeps only
 * those who may be contacted for the purpose given (--for), and streams
 * them as CSV/TSV/JSON/NDJSON/vCard to a file or a stream. Nothing is held
 * in memory; the run is audited with its selection and counts, never data.
 */
export async function runExport(ctx: Ctx, input: ExportInput, stdout: NodeJS.WritableStream): Promise<ExportResult> {
  const plan = planExport(ctx, input);
  if (plan.out !== null && ctx.store.path !== ':memory:' && sameFile(plan.out, ctx.store.path)) {
    throw new UsageError(`--out ${plan.out} is the database itself`, 'give another file name, e.g. --out clients.csv');
  }
  const repo = exportRepo(ctx);
  const salt = ctx.store.settings.get('suppression_salt');
  repo.useHelpers({ isMobile: isMobileE164, hash: salt ? (kind, value) => hashIdentifier(salt, kind, value) : undefined, salt });

  const ids = input.ids ? await loadIds(repo, input.ids) : null;
  // A card carries the fields of one's own too (as X-CARNET-<KEY>), so that an address book round trip keeps them.
  const own = plan.format === 'vcard' ? customFields(ctx) : [];
  const compiled = compileColumns(plan.columns, plan.format === 'vcard' ? [...VCARD_SOURCES, ...own.map((d) => customSource(d.key))] : []);
  const channels = plan.channels;
  const reasons: ReasonSpec = channels
    ? { kind: 'channels', channels, suppressed: channels.map((c) => repo.suppressedKinds(c)) }
    : plan.includeInactive
      ? { kind: 'none' }
      : { kind: 'inactive' };
  const query: ExportQuery = {
    where: plan.query.where,
    categories: plan.query.categories,
    sort: plan.query.sort,
    ids: ids !== null,
    sources: compiled.sources.map((s) => (withheldStatically(s, channels) ? '@null' : s)),
    reasons,
    withContacts: plan.format === 'vcard',
    line: lineSpec(plan, compiled),
  };
  const withheldColumns = plan.columns.filter((c) => c.sources.some((s) => withheldStatically(s, channels))).map((c) => c.header);
  const gate = new Gate(query.line ? ['@line'] : compiled.sources, channels, reasonCount(reasons));

  const selection = {
    format: plan.format,
    preset: plan.preset?.name ?? null,
    where: input.where ?? null,
    categories: input.categories ?? [],
    for: channels ? `marketing:${channels.join(',')}` : null,
    ids: ids ? ids.given : null,
    columns: input.columns && input.columns.length > 0 ? plan.columns.map((c) => c.header) : null,
    include_restricted: plan.includeInactive,
    destination: plan.out ?? 'stdout',
  };
  const progress = { exported: 0, contactCards: 0 };
  const counts = (status: string): Record<string, unknown> => ({
    ...selection,
    status,
    count: progress.exported,
    ...(plan.format === 'vcard' ? { contact_cards: progress.contactCards } : {}),
    left_out: gate.leftOut,
  });
  // Big plain exports in id order are shared among worker threads (see parallel.ts).
  const threads = query.line && !plan.query.sort?.length && !ids ? exportThreads() : 0;
  const range = threads >= 2 && ctx.store.path !== ':memory:' && workerAvailable() ? repo.idRange() : null;
  const parallel = range !== null && range.hi - range.lo + 1 >= parallelTuning().minIds;

  const sink = openSink(plan.out, stdout);
  let auditId: number;
  try {
    auditId = ctx.store.audit.record({ at: isoNow(ctx), action: 'export.run', actor: ctx.actor ?? null, details: counts('started') });
  } catch (err) {
    sink.abort();
    throw err;
  }
  let rows: IterableIterator<unknown[]> | null = null;
  sink.onBroken(() => {
    // The reader left (`| head`): the CLI is about to exit; record what went out first.
    rows?.return?.();
    repo.finishAudit(auditId, counts('closed_early'));
  });
  try {
    // Writers are held off for the moment the workers take their snapshots; busy → one thread.
    const release = parallel ? repo.holdWriters() : null;
    const done =
      release !== null &&
      range !== null &&
      (await writeParallel({
        dbPath: ctx.store.path,
        salt: salt ?? null,
        query: { ...query, range: true },
        setup: { format: tableFormat(plan.format), csv: plan.csv, kinds: compiled.kinds, channels, reasons: reasonCount(reasons) },
        range,
        threads,
        head: tableHead(plan, compiled),
        tail: (n) => tableTail(plan, n),
        sink,
        gate,
        progress,
        release,
      }));
    if (!done) {
      rows = repo.iterate(query);
      if (plan.format === 'vcard') await writeCards(compiled.sources, rows, gate, sink, progress, own);
      else if (plan.format === 'xlsx' || plan.format === 'ods') {
        const { writeBook } = await import('./write-book.js');
        await writeBook(plan.format, compiled, rows, gate, sink, progress);
      }
      else await writeTable(plan, compiled, rows, gate, sink, progress, query.line !== undefined);
      rows.return?.();
    }
    await sink.close();
  } catch (err) {
    rows?.return?.();
    sink.abort();
    repo.finishAudit(auditId, counts('failed'));
    throw err;
  }
  if (!sink.broken) repo.finishAudit(auditId, counts('done'));

  return {
    format: plan.format,
    preset: plan.preset?.name ?? null,
    exported: progress.exported,
    contactCards: progress.contactCards,
    leftOut: gate.leftOut,
    leftOutTotal: gate.leftOutTotal,
    channels,
    withheldColumns,
    withheld: gate.withheld,
    idsNotFound: ids?.notFound ?? 0,
    out: plan.out,
    closedEarly: sink.broken,
    warnings: warningsOf(plan, ids?.notFound ?? 0, withheldColumns),
  };
}
