import type { ColumnUse } from './mapping.js';
import type { Format } from './presets.js';
import type { Progress } from './stream.js';
import type { KeyMode, OnConflict, What } from '../model.js';
import type { BookInfo } from './book.js';

export type { KeyMode, OnConflict, What } from '../model.js';

/** What `carnet import` was asked to do, already parsed by the command. */
export interface ImportInput {
  /** A path, or '-' for stdin. */
  file: string;
  what: What;
  format: Format | 'auto';
  /** Raw --map values: col=field pairs and JSON files. */
  maps: readonly string[];
  encoding?: string | undefined;
  delimiter?: string | undefined;
  key: KeyMode;
  onConflict: OnConflict;
  /** --category, added to every imported customer. */
  categories: readonly string[];
  /** --source: namespace of external ids, and `source` of new customers. */
  source: string | null;
  /** --country: country assumed for addresses and phones written without one. */
  country: string | null;
  /** --rejects FILE; default: beside the database (not written by a dry run). */
  rejects: string | null;
  strict: boolean;
  dryRun: boolean;
  /** --sheet NAME|NUMBER of a workbook (default: the first that holds a customer list). */
  sheet?: string | null;
  /** --header-row N of a workbook (default: the first row that looks like a header). */
  headerRow?: number | null;
}

export interface ImportHooks {
  onProgress?: (p: Progress) => void;
  /** Where '-' reads from (tests pass a stream). */
  stdin?: NodeJS.ReadableStream;
  /** The file is read: what follows is matching and writing (a progress bar says so). */
  onApplying?: () => void;
  /** Called at each step with its name (benchmarks time the steps with it). */
  trace?: (step: string) => void;
}

/** The counts of ARCHITECTURE.md: what scripts rely on (`import --json`). */
export interface ImportCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  suppressed: number;
  merged_in_file: number;
  dry_run: boolean;
}

export interface ImportNote {
  line: number;
  field: string;
  message: string;
  /** Where, in a workbook or address book: "sheet Clients, row 14, column F (E-mail)". */
  place?: string;
}

export interface ImportResult extends ImportCounts {
  /** The rejects file written, or null (no rejects, or a dry run without --rejects). */
  rejects: string | null;
  what: What;
  file: string;
  sha256: string;
  encoding: string;
  encodingHow: 'bom' | 'detected' | 'given';
  delimiter: string;
  format: Format | null;
  /** import_runs.id, null for a dry run or a strict run that imported nothing. */
  run: number | null;
  /** --strict and rows were rejected: nothing was imported. */
  aborted: boolean;
  columns: ColumnUse[];
  /** Columns of a sales or interactions file that nothing reads. */
  unusedColumns: string[];
  newCategories: string[];
  /** Consents the file tried to grant again after a withdrawal or objection: not applied. */
  blockedConsents: number;
  warningCount: number;
  /** The first warnings (values kept in extra, dates that could not be read…). */
  warnings: ImportNote[];
  /** The first rejected rows, with their reasons. */
  rejectSamples: ImportNote[];
  /** Messages about the file as a whole (encoding retried, no header…). */
  notes: string[];
  /** The same file (same SHA-256) was imported before, by this run. */
  previousRun: number | null;
  /** For a workbook or address book: its format, the sheet and header row read; null for CSV. */
  book: BookInfo | null;
  /** Milliseconds spent reading and staging, planning (matching, classifying) and writing. */
  timings: { read: number; plan: number; write: number };
}

export const SAMPLE_LIMIT = 20;
