import { isoNow, type Ctx } from '../context.js';
import { ImportActivityRepo } from '../../db/repositories/import-activity.js';
import { ImportRepo } from '../../db/repositories/import.js';
import { buildActivityPlan, type ActivityPlan } from './activity-rows.js';
import type { ProcessorInit } from './process.js';
import { defaultRejectsPath, nameOf, readAll, sourceOf } from './session.js';
import { SAMPLE_LIMIT, type ImportHooks, type ImportInput, type ImportResult } from './types.js';

function mapPairs(values: readonly string[]): { column: string; target: string }[] {
  return values.filter((v) => v.includes('=')).map((v) => ({ column: v.slice(0, v.lastIndexOf('=')), target: v.slice(v.lastIndexOf('=') + 1) }));
}

/**
 * `carnet import FILE --what sales|interactions`: quote and invoice history,
 * or interaction logs, each row matched to its customer by external id,
 * SIRET or e-mail. Unmatched rows are rejected with the reason. Sales are
 * upserted by kind and number (a status that changed from unpaid to paid
 * is an update); interactions are never duplicated.
 */
export async function importActivity(ctx: Ctx, input: ImportInput, hooks: ImportHooks = {}): Promise<ImportResult> {
  const what = input.what === 'sales' ? 'sales' : 'interactions';
  const stage = ctx.store.extension('import', (db) => new ImportRepo(db));
  const repo = ctx.store.extension('import-activity', (db) => new ImportActivityRepo(db));
  const opened = await sourceOf(input, hooks);
  const source = nameOf(opened);
  const notes: string[] = [];
  const rejectsPath = input.rejects ?? (input.dryRun ? null : defaultRejectsPath(ctx, source.name));
  const now = isoNow(ctx);
  let plan: ActivityPlan | null = null;

  const { head: csv, outcome, writer, book } = await readAll(ctx, input, hooks, opened, (opened) => {
    plan = buildActivityPlan(what, opened.header, mapPairs(input.maps));
    const init: ProcessorInit = {
      what, customerPlan: null, activityPlan: plan,
      rowOptions: { key: input.key, source: input.source, categories: [], defaultCountry: null },
      delimiter: opened.delimiter,
      encoding: opened.encoding.encoding.startsWith('utf-16') ? 'utf-8' : opened.encoding.encoding,
      eol: opened.eol, now, suppressionDb: null,
    };
    return { init, skipHeader: true, resetStage: () => stage.createStage(what), stage: (b) => stage.stage(b.rows, [], []), endStage: () => stage.flushStage(), rejectsHeader: plan.headers, columnOf: (field: string) => (plan as ActivityPlan).columns[field as keyof ActivityPlan['columns']]?.[0] ?? null };
  }, { path: rejectsPath }, notes);
  const trace = hooks.trace ?? (() => undefined);
  trace('read');
  hooks.onApplying?.();
  const p = plan as ActivityPlan | null;
  if (!p) throw new Error('plan not built');
  if (outcome.read === 0) notes.push('the file has a header but no data rows: nothing to import');

  const result: ImportResult = {
    read: outcome.read, inserted: 0, updated: 0, unchanged: 0, rejected: outcome.rejected, suppressed: 0, merged_in_file: 0, dry_run: input.dryRun,
    rejects: null, what, file: source.file, sha256: outcome.stats.sha256,
    encoding: book ? book.format : csv.encoding.encoding, encodingHow: csv.encoding.how, delimiter: book ? '' : csv.delimiter, book, format: null,
    run: null, aborted: false,
    columns: Object.entries(p.columns).flatMap(([field, cols]) => (cols ?? []).map((c) => ({ column: p.headers[c] ?? String(c), use: field, how: 'synonym' as const }))),
    unusedColumns: p.unused, newCategories: [], blockedConsents: 0,
    warningCount: 0, warnings: [], rejectSamples: outcome.rejectSamples, notes,
    previousRun: stage.lastRunOf(outcome.stats.sha256, what)?.id ?? null,
    timings: { read: 0, plan: 0, write: 0 },
  };

  const planAll = (): void => {
    repo.matchCustomers(input.source);
    trace('match customers');
    result.rejected = outcome.rejected;
    result.rejectSamples = outcome.rejectSamples.slice();
    result.merged_in_file = repo.dropDuplicates(what);
    trace('duplicates in file');
    const c = repo.classify(what);
    trace('classify');
    result.inserted = c.insert;
    result.updated = c.update;
    result.unchanged = c.unchanged;
    for (const r of repo.planRejects()) {
      result.rejected++;
      writer?.write(r.line, 'customer', r.reason, r.cells);
      if (result.rejectSamples.length < SAMPLE_LIMIT) result.rejectSamples.push({ line: r.line, field: 'customer', message: r.reason });
    }
    result.rejectSamples.sort((a, b) => a.line - b.line);
  };

  try {
    if (input.dryRun || (input.strict && result.rejected > 0)) {
      planAll();
      result.aborted = !input.dryRun;
      if (result.aborted) result.inserted = result.updated = result.unchanged = 0;
      return result;
    }
    try {
      ctx.store.tx(() => {
        planAll();
        if (input.strict && result.rejected > 0) throw new StrictAbort();
        const run = stage.createRun({ fileName: source.file, sha256: result.sha256, what, source: input.source, startedAt: now });
        result.run = run;
        repo.apply(what, { now, source: source.name });
        trace('apply');
        const counts = { read: result.read, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged, rejected: result.rejected, suppressed: 0, merged_in_file: result.merged_in_file };
        stage.finishRun(run, isoNow(ctx), counts);
        ctx.store.audit.record({ at: now, action: `import.${what}`, subject: null, actor: ctx.actor ?? null, details: { run, file: source.name, sha256: result.sha256, ...counts } });
      });
    } catch (err) {
      if (!(err instanceof StrictAbort)) throw err;
      result.aborted = true;
      result.inserted = result.updated = result.unchanged = 0;
    }
    return result;
  } finally {
    writer?.close();
    result.rejects = writer && writer.count > 0 ? writer.path : null;
    stage.dropStage();
  }
}

/** Thrown inside the transaction to roll it back when --strict meets a rejected row. */
class StrictAbort extends Error {}
