import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { CHANNELS, type Channel } from '../model.js';
import { buildCustomerQuery } from '../customers/list.js';
import type { CustomerQuery } from '../../db/repositories/customers.js';
import { DEFAULT_COLUMNS, resolveColumns, type OutputColumn } from './columns.js';
import { customFields } from '../fields/manage.js';
import type { CustomFieldDef } from '../fields/custom.js';

function withOwn(columns: readonly string[], own: readonly CustomFieldDef[]): string[] {
  const at = columns.indexOf('extra') + 1;
  return [...columns.slice(0, at), ...own.map((d) => d.key), ...columns.slice(at)];
}
import { PRESETS, type Preset } from './presets.js';
import { EXPORT_FORMATS, formatOfName, PRESET_NAMES, type ExportFormat, type ExportInput } from './types.js';

/** An export request, checked: every flag combination that makes no sense is refused here, before any output. */
export interface ExportPlan {
  format: ExportFormat;
  preset: Preset | null;
  /** Tabular formats: the columns in order; vCard: none (the card decides). */
  columns: OutputColumn[];
  channels: Channel[] | null;
  includeInactive: boolean;
  header: boolean;
  /** csv/tsv only. */
  csv: { delimiter: string; eol: string; bom: boolean; neutralise: boolean; decimalComma: boolean; listJoin: string } | null;
  query: CustomerQuery;
  out: string | null;
}

const CHANNEL_ALIASES: Readonly<Record<string, Channel>> = {
  mail: 'email', 'e-mail': 'email', courriel: 'email',
  mobile: 'sms', texto: 'sms',
  tel: 'phone', telephone: 'phone', call: 'phone',
  postal: 'post', letter: 'post', courrier: 'post',
};

/**
 * `marketing` (e-mail, the usual campaign), `marketing:sms`,
 * `marketing:email,sms` (reached on either; each one's data only where
 * allowed).
 */
export function parseFor(text: string): Channel[] {
  const m = /^\s*([a-z_-]+)\s*(?::\s*(.*))?$/i.exec(text);
  const purpose = m?.[1]?.toLowerCase();
  if (!m || purpose !== 'marketing') {
    throw new UsageError(`--for '${text}' is not a purpose carnet knows`, 'use --for marketing:email (or :sms, :phone, :post)');
  }
  const list = (m[2] ?? 'email').split(/[,+]/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const channels: Channel[] = [];
  for (const name of list) {
    const ch = (CHANNELS as readonly string[]).includes(name) ? (name as Channel) : CHANNEL_ALIASES[name];
    if (!ch) throw new UsageError(`--for: '${name}' is not a channel`, `channels are ${CHANNELS.join(', ')}, e.g. --for marketing:sms`);
    if (!channels.includes(ch)) channels.push(ch);
  }
  if (channels.length === 0) throw new UsageError(`--for '${text}' names no channel`, 'e.g. --for marketing:email');
  return channels;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag} '${value}' is not one of ${allowed.join(', ')}`);
  return v as T;
}

export function planExport(ctx: Ctx, input: ExportInput): ExportPlan {
  const preset = input.preset ? PRESETS[oneOf('--preset', input.preset, PRESET_NAMES)] : null;
  // Without --format, the file's name says it (--out clients.xlsx), as a spreadsheet's "Save as" does; a preset is CSV.
  const named = input.out && input.out !== '-' ? formatOfName(input.out) : undefined;
  const format = input.format ? oneOf('--format', input.format, EXPORT_FORMATS) : preset ? 'csv' : (named ?? 'csv');
  if (preset && format !== 'csv') {
    throw new UsageError(`--preset ${preset.name} writes the CSV file ${preset.name} imports; it cannot be --format ${format}`, 'drop --format, or drop --preset');
  }
  const tabular = format === 'csv' || format === 'tsv';
  if (input.excel && (format !== 'csv' || preset)) {
    throw new UsageError('--excel shapes a plain CSV for French Excel', preset ? `--preset ${preset.name} already has the layout ${preset.name} wants` : 'use it with --format csv');
  }
  if (input.header === false && !tabular) throw new UsageError(`--no-header applies to csv and tsv, not ${format}`);
  if (input.columns && input.columns.length > 0 && format === 'vcard') {
    throw new UsageError('--columns does not apply to vCard: each card holds names, e-mail, phones, address, notes and categories');
  }
  const channels = input.for ? parseFor(input.for) : null;
  if (channels && input.includeRestricted) {
    throw new UsageError('--include-restricted cannot be used with --for', 'restricted and archived customers are never sent marketing');
  }

  const query = buildCustomerQuery(ctx, { where: input.where, categories: input.categories ? [...input.categories] : undefined, sort: input.sort ? [...input.sort] : undefined });
  const factColumns = ctx.store.customers.factColumns();
  const own = { fields: customFields(ctx), json: format === 'json' || format === 'ndjson' };
  const asked = input.columns && input.columns.length > 0 ? resolveColumns(input.columns, factColumns, own) : null;
  let columns: OutputColumn[] = [];
  if (preset) columns = [...preset.columns, ...(asked ?? []).map(preset.extra)];
  // The file as stored: the built-in columns, then the fields of the user's own after extra.
  else if (format !== 'vcard') columns = asked ?? resolveColumns(withOwn(DEFAULT_COLUMNS, own.fields), factColumns, own);

  const excel = Boolean(input.excel);
  const csv = tabular
    ? {
        delimiter: preset?.delimiter ?? (format === 'tsv' ? '\t' : excel ? ';' : ','),
        eol: preset?.eol ?? (excel ? '\r\n' : '\n'),
        bom: preset?.bom ?? excel,
        neutralise: !input.raw,
        decimalComma: excel,
        listJoin: preset?.listJoin ?? ', ',
      }
    : null;
  return {
    format,
    preset,
    columns,
    channels,
    includeInactive: Boolean(input.includeRestricted),
    header: input.header !== false,
    csv,
    query,
    out: input.out && input.out !== '-' ? input.out : null,
  };
}
