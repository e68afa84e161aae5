import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Ctx } from '../context.js';
import { CsvReadError } from '../../io/csv-in/errors.js';
import { fileSource, stdinSource, type CsvSource } from '../../io/csv-in/source.js';
import { RejectsWriter } from '../../io/rejects.js';
import { suppressionChecker } from '../rgpd/suppression.js';
import { defaultThreads, inlineRunner, workerRunner, type ChunkRunner } from './pool.js';
import type { Batch, ProcessorInit } from './process.js';
import { openCsv, streamBatches, type OpenedCsv, type StreamStats } from './read.js';
import { SAMPLE_LIMIT, type ImportHooks, type ImportInput, type ImportNote } from './types.js';

/** Files this size and up are parsed by worker threads; smaller ones on the main thread (no start-up cost). */
const THREADS_FROM_BYTES = 4 * 1024 * 1024;

export function sourceOf(input: ImportInput, hooks: ImportHooks): CsvSource {
  return input.file === '-' ? stdinSource(hooks.stdin) : fileSource(input.file);
}

/** Where rejected rows go when --rejects is not given: a rejects/ folder beside the database. */
export function defaultRejectsPath(ctx: Ctx, sourceName: string): string {
  const dbPath = ctx.store.path;
  const dir = dbPath === ':memory:' || dbPath === '' ? tmpdir() : join(dirname(resolve(dbPath)), 'rejects');
  const stamp = ctx.now().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const stem = basename(sourceName, extname(sourceName)) || 'stdin';
  let path = join(dir, `${stem}-${stamp}.csv`);
  for (let n = 2; existsSync(path); n++) path = join(dir, `${stem}-${stamp}-${n}.csv`);
  return path;
}

export function runnerFor(ctx: Ctx, init: ProcessorInit, source: CsvSource): ChunkRunner {
  const memory = ctx.store.path === ':memory:' || ctx.store.path === '';
  const forced = process.env.CARNET_IMPORT_THREADS;
  const wanted = forced !== undefined ? defaultThreads() : source.size === null || source.size >= THREADS_FROM_BYTES ? defaultThreads() : 0;
  const suppressed = init.suppressionDb !== null || ctx.store.suppressions.count() > 0;
  const check = suppressed ? suppressionChecker(ctx.store) : null;
  const inline = inlineRunner({ ...init, suppressionDb: null }, check ? (ids) => check(ids).suppressed : null);
  if (wanted === 0 || (memory && suppressed)) return inline;
  return workerRunner({ ...init, suppressionDb: suppressed ? ctx.store.path : null }, wanted, inline);
}

/** What reading a file gave, besides the staged rows. */
export interface ReadOutcome {
  stats: StreamStats;
  read: number;
  rejected: number;
  suppressed: number;
  warningCount: number;
  warnings: ImportNote[];
  rejectSamples: ImportNote[];
}

/**
 * Streams a file through the runner into `stage`, writing rejected rows to
 * the rejects file and keeping the first warnings. If the file was taken
 * for UTF-8 and turns out not to be (an ASCII start, then Windows-1252
 * accents), it is read again as Windows-1252 — once, and only for a file.
 */
export async function readAll(
  ctx: Ctx,
  input: ImportInput,
  hooks: ImportHooks,
  source: CsvSource,
  prepare: (csv: OpenedCsv) => { init: ProcessorInit; skipHeader: boolean; resetStage: () => void; stage: (b: Batch) => void; rejectsHeader: string[] },
  rejects: { path: string | null },
  notes: string[],
): Promise<{ csv: OpenedCsv; outcome: ReadOutcome; writer: RejectsWriter | null }> {
  let encoding = input.encoding;
  for (let attempt = 0; ; attempt++) {
    const csv = await openCsv(attempt === 0 ? source : fileSource(source.path ?? input.file), { encoding, delimiter: input.delimiter });
    const p = prepare(csv);
    p.resetStage();
    const writer = rejects.path ? new RejectsWriter(rejects.path, p.rejectsHeader, csv.delimiter) : null;
    const outcome: ReadOutcome = { stats: { sha256: '', bytes: 0 }, read: 0, rejected: 0, suppressed: 0, warningCount: 0, warnings: [], rejectSamples: [] };
    const runner = runnerFor(ctx, p.init, csv.source);
    try {
      outcome.stats = await streamBatches(csv, runner, p.skipHeader, (b) => {
        p.stage(b);
        outcome.read += b.read;
        outcome.suppressed += b.suppressed;
        outcome.warningCount += b.warnings.length;
        for (const w of b.warnings) if (outcome.warnings.length < SAMPLE_LIMIT) outcome.warnings.push(w);
        for (const r of b.kept ?? []) writer?.write(r.line, r.field, r.reason, r.cells);
        for (const r of b.rejects) {
          outcome.rejected++;
          writer?.write(r.line, r.field, r.reason, r.cells);
          if (outcome.rejectSamples.length < SAMPLE_LIMIT) outcome.rejectSamples.push({ line: r.line, field: r.field, message: r.reason });
        }
      }, hooks.onProgress);
      return { csv, outcome, writer };
    } catch (err) {
      writer?.abort();
      const retry =
        err instanceof CsvReadError && err.kind === 'encoding' && attempt === 0 && csv.encoding.how === 'detected' &&
        csv.encoding.encoding === 'utf-8' && !csv.encoding.sawNonAscii && source.path !== null;
      if (!retry) {
        if (err instanceof CsvReadError && err.kind === 'encoding' && csv.encoding.how !== 'given' && csv.encoding.sawNonAscii) {
          throw new CsvReadError('encoding', `${err.message}, while the lines before it are: the file mixes encodings`, err.line,
            'convert it to one encoding (save it again as UTF-8), or pass --encoding to read all of it one way');
        }
        throw err;
      }
      notes.push(`line ${err.line ?? '?'} is not UTF-8: the file was read again as Windows-1252`);
      encoding = 'windows-1252';
    } finally {
      await runner.close();
    }
  }
}
