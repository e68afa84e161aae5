import { randomInt } from 'node:crypto';
import { isoNow, type Ctx } from '../context.js';
import { ImportApplyRepo } from '../../db/repositories/import-apply.js';
import { ImportRepo } from '../../db/repositories/import.js';
import { normaliseCountry } from '../normalise/index.js';
import { applyContactCards, splitContactCards } from './contact-cards.js';
import { buildMapping, type MappingResult } from './mapping.js';
import { customFields } from '../fields/manage.js';
import { parseMapOptions } from './map-option.js';
import { mergeStagedRows } from './merge.js';
import type { ProcessorInit } from './process.js';
import { camelOf } from './row-state.js';
import { defaultRejectsPath, nameOf, readAll, sourceOf } from './session.js';
import type { ImportHooks, ImportInput, ImportResult } from './types.js';
import { KEY } from '../fields/catalogue.js';

/**
 * Inserting this many rows or more, into a table not much bigger, rebuilds
 * the indexes instead of updating them (CARNET_IMPORT_BULK_FROM tunes it).
 */
function bulkFrom(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.CARNET_IMPORT_BULK_FROM;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 20_000;
}

/**
 * A time-ordered UUID (version 7 layout) prefix for this run; the last 12
 * hex digits are the customer's id. Consecutive uids keep the uid index
 * append-only during a big import, where random ones scatter it.
 */
function uidPrefix(now: Date): string {
  const ts = now.getTime().toString(16).padStart(12, '0').slice(-12);
  const a = randomInt(0x1000).toString(16).padStart(3, '0');
  const b = (0x8000 | randomInt(0x4000)).toString(16);
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${a}-${b}-`;
}

/** Merges rows of the file that are one customer (same key, or same existing customer), in file order. */
function collapseGroups(stage: ImportRepo, by: 'ikey' | 'target'): number {
  let merged = 0;
  for (const seqs of stage.groups(by)) {
    const rows = stage.rows(seqs);
    stage.collapse(mergeStagedRows(rows), seqs.slice(1));
    merged += seqs.length - 1;
  }
  return merged;
}

/**
 * `carnet import FILE` for customers: read and normalise every row (in
 * threads for big files), stage them, then match, classify and apply in
 * one transaction. A dry run stops after classifying; --strict stops when
 * any row was rejected. Re-importing the same file finds every row
 * unchanged and writes nothing but its import_runs record.
 */
export async function importCustomers(ctx: Ctx, input: ImportInput, hooks: ImportHooks = {}): Promise<ImportResult> {
  const own = customFields(ctx);
  const maps = parseMapOptions(input.maps, own.map((d) => d.key));
  const defaultCountry = input.country === null ? null : normaliseCountry(input.country);
  const stage = ctx.store.extension('import', (db) => new ImportRepo(db));
  const apply = ctx.store.extension('import-apply', (db) => new ImportApplyRepo(db));
  const opened = await sourceOf(input, hooks);
  const source = nameOf(opened);
  const notes: string[] = [];
  const cards = opened.format === 'vcf' ? splitContactCards(ctx, opened.book, notes) : null;
  if (cards && opened.format === 'vcf') opened.book = cards.book;
  const rejectsPath = input.rejects ?? (input.dryRun ? null : defaultRejectsPath(ctx, source.name));
  const now = isoNow(ctx);
  let mapping: MappingResult | null = null;
  const t0 = Date.now();

  const { head: csv, outcome, writer, book } = await readAll(ctx, input, hooks, opened, (opened) => {
    mapping = buildMapping(opened.header, { format: input.format, maps, sampleRows: opened.sample, custom: own });
    const plan = mapping.plan;
    const init: ProcessorInit = {
      what: 'customers',
      customerPlan: mapping.plan,
      activityPlan: null,
      rowOptions: { key: input.key, source: input.source, categories: input.categories, defaultCountry, strict: input.strict },
      delimiter: opened.delimiter,
      encoding: opened.encoding.encoding.startsWith('utf-16') ? 'utf-8' : opened.encoding.encoding,
      eol: opened.eol,
      now,
      suppressionDb: null,
    };
    return {
      init,
      skipHeader: !mapping.plan.headerless,
      resetStage: () => stage.createStage('customers'),
      stage: (b) => stage.stage(b.rows, b.cats, b.consents),
      endStage: () => stage.flushStage(),
      rejectsHeader: mapping.plan.headers,
      columnOf: (field: string) => {
        const name = camelOf(field);
        return name === undefined ? null : (plan.fields[name]?.[0]?.column ?? null);
      },
    };
  }, { path: rejectsPath }, notes);
  writer?.close();
  const m = mapping as MappingResult | null;
  if (!m) throw new Error('mapping not built');
  if (m.plan.headerless) notes.push(`the file has no header row: e-mail columns were recognised by their content, the others kept in extra as "column N" (name them with --map 2=${KEY.firstName})`);
  if (outcome.read === 0) notes.push('the file has a header but no data rows: nothing to import');

  const result: ImportResult = {
    read: outcome.read, inserted: 0, updated: 0, unchanged: 0, rejected: outcome.rejected, suppressed: outcome.suppressed, merged_in_file: 0, dry_run: input.dryRun,
    rejects: writer && writer.count > 0 ? writer.path : null,
    what: 'customers', file: source.file, sha256: outcome.stats.sha256,
    encoding: book ? book.format : csv.encoding.encoding, encodingHow: csv.encoding.how, delimiter: book ? '' : csv.delimiter, book, format: m.format,
    run: null, aborted: false, columns: m.columns, unusedColumns: [], newCategories: [], blockedConsents: 0,
    warningCount: outcome.warningCount, warnings: outcome.warnings, rejectSamples: outcome.rejectSamples, notes,
    previousRun: stage.lastRunOf(outcome.stats.sha256, 'customers')?.id ?? null,
    timings: { read: Date.now() - t0, plan: 0, write: 0 },
    contacts: cards?.counts ?? null,
  };

  const trace = hooks.trace ?? (() => undefined);
  trace('read');
  hooks.onApplying?.();
  const plan = (): void => {
    const t = Date.now();
    result.merged_in_file = collapseGroups(stage, 'ikey');
    trace('merge in file');
    if (apply.customerCount() > 0) {
      if (input.key === 'auto' || input.key === KEY.externalId) apply.matchOwnUids(stage.holds().ownUid);
      apply.match(input.key);
      trace('match');
      result.merged_in_file += collapseGroups(stage, 'target');
      trace('merge by target');
    }
    if (apply.hasTargets()) {
      apply.markConsents(input.onConflict);
      trace('consents');
    }
    const counts = apply.classify(input.onConflict);
    trace('classify');
    result.inserted = counts.insert;
    result.updated = counts.update;
    result.unchanged = counts.unchanged;
    result.blockedConsents = apply.blockedGrants();
    result.newCategories = apply.newCategories();
    result.timings.plan = Date.now() - t;
  };

  try {
    if (input.strict && result.rejected > 0) {
      result.aborted = true;
      return result;
    }
    if (input.dryRun) {
      plan();
      if (cards) applyContactCards(ctx, cards, now, false, null, notes);
      return result;
    }
    const existing = apply.customerCount();
    ctx.store.tx(() => {
      apply.tuneTransaction();
      plan();
      const tw = Date.now();
      const run = stage.createRun({ fileName: source.file, sha256: result.sha256, what: 'customers', source: input.source, startedAt: now });
      result.run = run;
      apply.markRestrictions(stage.holds().restrictedAt);
      if (result.updated > 0) apply.applyUpdates(input.onConflict, now);
      trace('updates');
      const base = apply.assignIds();
      trace('ids');
      const bulk = result.inserted >= bulkFrom() && result.inserted * 2 >= existing;
      const suspended = bulk ? apply.suspendForBulk() : null;
      if (result.inserted > 0) apply.applyInserts({ now, uidPrefix: uidPrefix(ctx.now()), defaultSource: input.source ?? source.name }, stage.holds().ownUid);
      trace('inserts');
      apply.applyLinks({ run, now, source: source.name, proof: `import of ${source.name}`, newCategories: result.newCategories }, trace);
      if (suspended) apply.resumeAfterBulk(suspended, base, trace);
      trace('indexes');
      if (cards) applyContactCards(ctx, cards, now, true, run, notes);
      const counts = {
        read: result.read, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged,
        rejected: result.rejected, suppressed: result.suppressed, merged_in_file: result.merged_in_file,
      };
      stage.finishRun(run, isoNow(ctx), counts);
      result.timings.write = Date.now() - tw;
      // A restriction of processing carried by carnet's own export is an RGPD act: logged as `carnet rgpd restrict` logs it.
      for (const r of apply.restrictedByImport()) {
        ctx.store.audit.record({ at: now, action: 'rgpd.restrict', subject: r.uid, actor: ctx.actor ?? null, details: { run, file: source.name, line: r.line, since: r.restrictedAt } });
      }
      ctx.store.audit.record({
        at: now, action: 'import.customers', subject: null, actor: ctx.actor ?? null,
        details: { run, file: source.name, sha256: result.sha256, ...counts },
      });
      trace('run record');
    });
    trace('commit');
    return result;
  } finally {
    stage.dropStage();
  }
}
