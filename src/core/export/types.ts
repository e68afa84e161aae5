import type { Channel } from '../model.js';

export const EXPORT_FORMATS = ['csv', 'tsv', 'json', 'ndjson', 'vcard', 'xlsx', 'ods'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The format a file's name says (`--out clients.xlsx`), by its extension, case ignored; undefined for others (.txt). */
const BY_EXTENSION: Readonly<Record<string, ExportFormat>> = {
  csv: 'csv', tsv: 'tsv', tab: 'tsv', json: 'json', ndjson: 'ndjson', jsonl: 'ndjson', vcf: 'vcard', vcard: 'vcard', xlsx: 'xlsx', ods: 'ods',
};
export function formatOfName(path: string | null | undefined): ExportFormat | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(path ?? '')?.[1]?.toLowerCase();
  return ext === undefined ? undefined : BY_EXTENSION[ext];
}

export const PRESET_NAMES = ['brevo', 'mailchimp', 'google', 'outlook'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** What `carnet export` was asked, as typed (checked by planExport). */
export interface ExportInput {
  format?: string | undefined;
  preset?: string | undefined;
  where?: string | undefined;
  categories?: readonly string[] | undefined;
  /** Lines of ids or uids (stdin with --ids). */
  ids?: AsyncIterable<string | Buffer> | Iterable<string> | undefined;
  sort?: readonly string[] | undefined;
  /** `marketing`, `marketing:email`, `marketing:email,sms`… */
  for?: string | undefined;
  columns?: readonly string[] | undefined;
  /** false with --no-header. */
  header?: boolean | undefined;
  excel?: boolean | undefined;
  raw?: boolean | undefined;
  includeRestricted?: boolean | undefined;
  /** A file path; undefined or '-' = the stream given to runExport. */
  out?: string | undefined;
}

/** Why a selected customer was not written. */
export type LeftOutReason =
  | 'archived'
  | 'restricted'
  | 'opposed'
  | 'withdrawn'
  | 'refused'
  | 'no_consent'
  | 'no_email'
  | 'no_mobile'
  | 'no_phone'
  | 'no_address'
  | 'suppressed';

export interface ExportResult {
  format: ExportFormat;
  preset: PresetName | null;
  /** Customers written (rows, objects or cards). */
  exported: number;
  /** vCard only: cards written for the contacts of the exported customers. */
  contactCards: number;
  /** Customers selected but not written, by reason (first channel's reason with several channels). */
  leftOut: Partial<Record<LeftOutReason, number>>;
  leftOutTotal: number;
  /** --for: the channels checked, else null. */
  channels: Channel[] | null;
  /** Columns whose values were left empty for everyone: they carry a channel --for does not cover. */
  withheldColumns: string[];
  /** With several channels: rows written with one channel's data left empty (not allowed on it). */
  withheld: Partial<Record<Channel, number>>;
  /** --ids lines that matched no customer. */
  idsNotFound: number;
  /** The file written, or null for the stream. */
  out: string | null;
  /** The reader stopped reading (`| head`): the export ended early, quietly. */
  closedEarly: boolean;
  /** Things the user should know (consent not checked, ids not found…). */
  warnings: string[];
}

/** Each reason in words, read after a count: "12 private persons without consent". */
export const REASON_LABELS: Readonly<Record<LeftOutReason, string>> = {
  archived: 'archived',
  restricted: 'restricted (RGPD)',
  opposed: 'opposed',
  withdrawn: 'with consent withdrawn',
  refused: 'with consent refused',
  no_consent: 'private (B2C) with no consent recorded',
  no_email: 'without e-mail',
  no_mobile: 'without mobile',
  no_phone: 'without phone',
  no_address: 'without postal address',
  suppressed: 'on the suppression list',
};
