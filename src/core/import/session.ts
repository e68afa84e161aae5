import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { Ctx } from '../context.js';
import { CsvReadError } from '../../io/csv-in/errors.js';
import type { CsvSource } from '../../io/csv-in/source.js';
import { openCsv, type OpenedCsv } from '../../io/read/csv.js';
import { fileSource, openInput, type Opened } from '../../io/read/open.js';
import { RejectsWriter } from '../../io/rejects.js';
import { suppressionChecker } from '../rgpd/suppression.js';
import { readBook, type BookInfo } from './book.js';
import { defaultThreads, inlineRunner, workerRunner, type ChunkRunner } from './pool.js';
import type { Batch, ProcessorInit, Suppressed } from './process.js';
import { streamBatches, type StreamStats } from './stream.js';
import { SAMPLE_LIMIT, type ImportHooks, type ImportInput, type ImportNote } from './types.js';

/** Files this size and up are parsed by worker threads; smaller ones on the main thread (no start-up cost). */
const THREADS_FROM_BYTES = 4 * 1024 * 1024;

/** The input, recognised by its content: a CSV source, or a book of records (workbook, address book). */
export function sourceOf(input: ImportInput, hooks: ImportHooks): Promise<Opened> {
  return openInput(input.file, hooks.stdin);
}

/**
 * The file's name as shown, its path, and what an import run records as its
 * file: the path, or the name when there is none ("stdin" for -, the pipe's
 * name for a FIFO or a shell's <(…)).
 */
export function nameOf(opened: Opened): { name: string; path: string | null; file: string } {
  const { name, path } = opened.format === 'csv' ? opened.source : opened.book;
  return { name, path, file: path ?? name };
}

/** Where rejected rows go when --rejects is not given: a rejects/ folder beside the database. */
export function defaultRejectsPath(ctx: Ctx, sourceName: string): string {
  const home = ctx.store.localDir;
  const dir = home === null ? tmpdir() : join(home, 'rejects');
  const stamp = ctx.now().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const stem = basename(sourceName, extname(sourceName)) || 'stdin';
  let path = join(dir, `${stem}-${stamp}.csv`);
  for (let n = 2; existsSync(path); n++) path = join(dir, `${stem}-${stamp}-${n}.csv`);
  return path;
}

/** The main thread's suppression check, or null when nobody was erased or opposed. */
export function suppressedOn(ctx: Ctx): Suppressed | null {
  if (ctx.store.suppressions.count() === 0) return null;
  const check = suppressionChecker(ctx.store);
  return (ids) => check(ids).suppressed;
}

export function runnerFor(ctx: Ctx, init: ProcessorInit, source: CsvSource): ChunkRunner {
  const memory = ctx.store.path === ':memory:' || ctx.store.path === '';
  const forced = process.env.CARNET_IMPORT_THREADS;
  const wanted = forced !== undefined ? defaultThreads() : source.size === null || source.size >= THREADS_FROM_BYTES ? defaultThreads() : 0;
  const check = suppressedOn(ctx);
  const suppressed = init.suppressionDb !== null || check !== null;
  const inline = inlineRunner({ ...init, suppressionDb: null }, check);
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

/** What the import needs of a file's head, whatever its format. */
export type TableHead = Pick<OpenedCsv, 'header' | 'sample' | 'delimiter' | 'encoding' | 'eol'>;

export interface Prepared {
  init: ProcessorInit;
  skipHeader: boolean;
  resetStage: () => void;
  stage: (b: Batch) => void;
  /** After the last batch: waits for batches still being stored, and throws their error if one failed. */
  endStage: () => void;
  rejectsHeader: string[];
  /** The column a field was read from (to name it in messages about workbook cells), or null. */
  columnOf?: (field: string) => number | null;
}

/** Adds a batch's counts, warnings and rejects to the outcome; rejected rows go to the rejects file. */
export function tally(outcome: ReadOutcome, b: Batch, writer: RejectsWriter | null, place?: (line: number, field: string) => string): void {
  outcome.read += b.read;
  outcome.suppressed += b.suppressed;
  outcome.warningCount += b.warnings.length;
  for (const w of b.warnings) if (outcome.warnings.length < SAMPLE_LIMIT) outcome.warnings.push(place ? { ...w, place: place(w.line, w.field) } : w);
  // Kept and rejected rows go to the rejects file in line order (each list is): an order that does not depend on where batches end.
  const kept = b.kept ?? [];
  let k = 0;
  const keptUpTo = (line: number): void => {
    for (let r = kept[k]; r !== undefined && r.line < line; r = kept[++k]) writer?.write(r.line, r.field, r.reason, r.cells);
  };
  for (const r of b.rejects) {
    keptUpTo(r.line);
    outcome.rejected++;
    writer?.write(r.line, r.field, r.reason, r.cells);
    if (outcome.rejectSamples.length < SAMPLE_LIMIT) {
      const note: ImportNote = { line: r.line, field: r.field, message: r.reason };
      outcome.rejectSamples.push(place ? { ...note, place: place(r.line, r.field) } : note);
    }
  }
  keptUpTo(Infinity);
}

export function emptyOutcome(): ReadOutcome {
  return { stats: { sha256: '', bytes: 0 }, read: 0, rejected: 0, suppressed: 0, warningCount: 0, warnings: [], rejectSamples: [] };
}

/**
 * Reads the input: a workbook or address book as batches of records, a
 * CSV through the chunk path below.
 */
export async function readAll(
  ctx: Ctx,
  input: ImportInput,
  hooks: ImportHooks,
  opened: Opened,
  prepare: (head: TableHead) => Prepared,
  rejects: { path: string | null },
  notes: string[],
): Promise<{ head: TableHead; outcome: ReadOutcome; writer: RejectsWriter | null; book: BookInfo | null }> {
  if (opened.format !== 'csv') {
    try {
      return await readBook(ctx, input, hooks, opened.book, prepare, rejects, notes);
    } finally {
      opened.book.close();
    }
  }
  if (input.sheet || input.headerRow) notes.push('--sheet and --header-row apply to workbooks: the header of a CSV file is its first line');
  const r = await readCsv(ctx, input, hooks, opened.source, prepare, rejects, notes);
  return { head: r.csv, outcome: r.outcome, writer: r.writer, book: null };
}

/**
 * Streams a file through the runner into `stage`, writing rejected rows to
 * the rejects file and keeping the first warnings. If the file was taken
 * for UTF-8 and turns out not to be (an ASCII start, then Windows-1252
 * accents), it is read again as Windows-1252 — once, and only for a file.
 */
async function readCsv(
  ctx: Ctx,
  input: ImportInput,
  hooks: ImportHooks,
  source: CsvSource,
  prepare: (csv: TableHead) => Prepared,
  rejects: { path: string | null },
  notes: string[],
): Promise<{ csv: OpenedCsv; outcome: ReadOutcome; writer: RejectsWriter | null }> {
  let encoding = input.encoding;
  for (let attempt = 0; ; attempt++) {
    const csv = await openCsv(attempt === 0 ? source : fileSource(source.path ?? input.file), { encoding, delimiter: input.delimiter }).catch((err: unknown) => {
      throw err instanceof CsvReadError ? inFile(err, source.name) : err;
    });
    const p = prepare(csv);
    p.resetStage();
    const writer = rejects.path ? new RejectsWriter(rejects.path, p.rejectsHeader, csv.delimiter) : null;
    const outcome = emptyOutcome();
    const runner = runnerFor(ctx, p.init, csv.source);
    try {
      outcome.stats = await streamBatches(csv, runner, p.skipHeader, (b) => {
        p.stage(b);
        tally(outcome, b, writer);
      }, hooks.onProgress);
      p.endStage();
      return { csv, outcome, writer };
    } catch (err) {
      writer?.abort();
      const retry =
        err instanceof CsvReadError && err.kind === 'encoding' && attempt === 0 && csv.encoding.how === 'detected' &&
        csv.encoding.encoding === 'utf-8' && !csv.encoding.sawNonAscii && source.path !== null;
      if (!retry) {
        if (err instanceof CsvReadError && err.kind === 'encoding' && csv.encoding.how !== 'given' && csv.encoding.sawNonAscii) {
          throw inFile(new CsvReadError('encoding', `${err.message}, while the lines before it are: the file mixes encodings`, err.line,
            'convert it to one encoding (save it again as UTF-8), or pass --encoding to read all of it one way'), source.name);
        }
        throw err instanceof CsvReadError ? inFile(err, source.name) : err;
      }
      notes.push(`line ${err.line ?? '?'} is not UTF-8: the file was read again as Windows-1252`);
      encoding = 'windows-1252';
    } finally {
      await runner.close();
    }
  }
}

/** The error with the file's name in front (a nightly log of several imports must say which file). */
function inFile(err: CsvReadError, name: string): CsvReadError {
  return new CsvReadError(err.kind, `${name}${err.message.startsWith('line ') ? ',' : ':'} ${err.message}`, err.line, err.hint);
}
