import type { Identifiers } from '../rgpd/suppression.js';
import { CsvReadError } from '../../io/csv-in/errors.js';
import { parseCsvChunk, type LineEnding, type RawChunk } from '../../io/read/csv.js';
import { INTERACTION_STAGE, SALE_STAGE } from '../../db/repositories/import-columns.js';
import type { What } from '../model.js';
import { buildActivity, type ActivityPlan } from './activity-rows.js';
import type { MappingPlan } from './mapping.js';
import { CustomerRowBuilder, type RowOptions } from './row.js';
import { packCustomer, SEQ_PER_CHUNK, STAGE_WIDTH } from './stage-layout.js';

/**
 * Records → batch of staged rows, rejects and warnings. A CSV chunk of
 * bytes is first turned into records by the CSV reader, in worker threads
 * (big files) or on the main thread (small ones); a workbook's or address
 * book's records come already read. The output is plain data so that it
 * crosses threads in its wire form (batch-wire.ts).
 */

export interface ProcessorInit {
  what: What;
  customerPlan: MappingPlan | null;
  activityPlan: ActivityPlan | null;
  rowOptions: RowOptions;
  delimiter: string;
  /** Encoding of the chunks' bytes (UTF-16 files arrive already as UTF-8). */
  encoding: string;
  eol: LineEnding;
  /** The import's time, ISO (sales without a date, interactions "in the future"). */
  now: string;
  /** Where workers open the database read-only to check suppressions; null when there are none. */
  suppressionDb: string | null;
}

export interface RejectRow {
  line: number;
  field: string;
  reason: string;
  cells: string[];
}

export interface WarningRow {
  line: number;
  field: string;
  message: string;
}

export interface Batch {
  index: number;
  /** Data records seen (blank ones excepted). */
  read: number;
  width: number;
  /** Staged rows: `width` values each. */
  rows: (string | number | null)[][];
  /** [seq, category name] pairs. */
  cats: (string | number)[];
  /** [seq, channel, state, at] quads. */
  consents: (string | number | null)[];
  rejects: RejectRow[];
  warnings: WarningRow[];
  /** Rows imported with a value moved to extra: listed in the rejects file too, so that they can be fixed. */
  kept: RejectRow[];
  suppressed: number;
}

export interface BatchError {
  index: number;
  error: { kind: 'syntax' | 'encoding' | 'empty'; message: string; line: number | null; hint: string | undefined };
}

export type Suppressed = (ids: Identifiers) => boolean;

function isBlank(cells: readonly string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/** Builds the rows of a batch of records (a CSV chunk's, or a reader's), with the line or sheet row of each. */
export type RecordProcessor = (index: number, records: readonly string[][], lines: readonly number[]) => Batch;

export function makeRecordProcessor(init: ProcessorInit, suppressed: Suppressed | null): RecordProcessor {
  const builder = init.what === 'customers' ? new CustomerRowBuilder(init.customerPlan as MappingPlan, init.rowOptions) : null;
  const width = init.what === 'customers' ? STAGE_WIDTH : init.what === 'sales' ? SALE_STAGE.length : INTERACTION_STAGE.length;
  return (index, records, lines) => {
    const batch: Batch = { index, read: 0, width, rows: [], cats: [], consents: [], rejects: [], warnings: [], kept: [], suppressed: 0 };
    const base = index * SEQ_PER_CHUNK;
    for (let i = 0; i < records.length; i++) {
      const cells = records[i] as string[];
      if (isBlank(cells)) continue;
      batch.read++;
      const line = lines[i] ?? 0;
      const seq = base + i;
      if (init.what !== 'customers') {
        const r = buildActivity(cells, init.activityPlan as ActivityPlan, seq, line, init.now);
        if (r.ok) batch.rows.push([...r.values, JSON.stringify(cells)]);
        else batch.rejects.push({ line, field: r.field, reason: r.reason, cells });
        continue;
      }
      const r = (builder as CustomerRowBuilder).build(cells);
      // A rejected row's warnings are part of its reason: it is counted once, as rejected.
      if (r.ok) for (const w of r.row.warnings) batch.warnings.push({ line, field: w.field, message: w.message });
      if (!r.ok) {
        batch.rejects.push({ line, field: r.field, reason: r.reason, cells });
        continue;
      }
      const kept = r.row.warnings;
      if (kept.length > 0) {
        batch.kept.push({ line, field: kept.map((w) => w.field).join(', '), reason: `imported — ${kept.map((w) => `${w.field}: ${w.message}`).join('; ')}`, cells });
      }
      const f = r.row.fields;
      // An erased or opposed person's data is not imported, not even staged: only counted.
      if (suppressed && suppressed({ emailNorm: f.emailNorm, phoneE164: f.phoneE164, mobileE164: f.mobileE164, siret: f.siret })) {
        batch.suppressed++;
        continue;
      }
      batch.rows.push(packCustomer(seq, line, r.row));
      for (const name of r.row.categories) batch.cats.push(seq, name);
      for (const c of r.row.consents) batch.consents.push(seq, c.channel, c.state, c.at);
    }
    return batch;
  };
}

/** A CSV chunk of bytes → its batch: the CSV reader parses it, the record processor builds the rows. */
export function makeProcessor(init: ProcessorInit, suppressed: Suppressed | null): (chunk: RawChunk, skipHeader: boolean) => Batch {
  const build = makeRecordProcessor(init, suppressed);
  return (chunk, skipHeader) => {
    const { records, lines } = parseCsvChunk(chunk, init, skipHeader);
    return build(chunk.index, records, lines);
  };
}

/** Runs a processor, turning a CSV error into data (a worker cannot throw across threads). */
export function processSafely(run: (chunk: RawChunk, skipHeader: boolean) => Batch, chunk: RawChunk, skipHeader: boolean): Batch | BatchError {
  try {
    return run(chunk, skipHeader);
  } catch (err) {
    if (err instanceof CsvReadError) {
      return { index: chunk.index, error: { kind: err.kind, message: err.message, line: err.line, hint: err.hint } };
    }
    throw err;
  }
}
