import type { Channel } from '../../core/model.js';
import { customFieldSql } from './custom-fields.js';
import type { SuppressionKind } from './suppressions.js';
import { COLUMN } from '../columns.js';
import { CONTACT_COLUMNS } from '../rows.js';

/**
 * The SQL of `carnet export`, built from a checked description: one SELECT
 * over `customer_facts` that streams the chosen values and, per row, why it
 * may not be sent (NULL = it may). Everything is set-based: consents and
 * suppressions are read by correlated lookups on their indexes, never by
 * per-row queries from JavaScript. Column names come from the view's own
 * catalogue (checked again here); user text travels only as parameters.
 */

/** What one value of the output row is read from. */
export type SourceKey = string;

/** Derived values the export needs that are not columns of the view. */
export const DERIVED_SOURCES = ['@categories', '@name', '@sms', '@landline', '@null'] as const;

/** Contact columns, for vCard (a company's contacts are cards of their own). */
export const CONTACT_SOURCES: readonly string[] = ['ct.id', ...CONTACT_COLUMNS.filter((c) => c !== COLUMN.emailNorm).map((c) => `ct.${c}`), 'ct.updated_at'];

export type ReasonSpec =
  /** Every selected row goes out (--include-restricted). */
  | { kind: 'none' }
  /** Restricted and archived files stay in (RGPD art. 18, and what the user put aside). */
  | { kind: 'inactive' }
  /** --for marketing:…: one reason column per channel; suppressed identifier kinds present, per channel. */
  | { kind: 'channels'; channels: readonly Channel[]; suppressed: readonly (readonly SuppressionKind[])[] };

/** How a value is written in a line built by SQLite. */
export type LineKind = 'text' | 'number' | 'json' | 'list';

/**
 * Plain columns only: SQLite builds each row as one value — the cells joined
 * by LINE_SEPARATOR for CSV/TSV (lists joined, empty extra blank, numbers
 * formatted), or a JSON object for JSON/NDJSON — so one string crosses into
 * JavaScript per row instead of one value per cell.
 */
export type LineSpec =
  | { format: 'csv'; kinds: readonly LineKind[]; listJoin: string; decimalComma: boolean }
  | { format: 'json'; keys: readonly string[]; kinds: readonly LineKind[] };

/**
 * Between the cells of a CSV line built by SQLite: U+001E (record separator),
 * which carnet's text clean-up removes from every value it stores.
 */
export const LINE_SEPARATOR = '\u001e';

export interface ExportQuery {
  where?: { sql: string; params: Record<string, string | number | null> } | undefined;
  categories?: readonly string[] | undefined;
  /** view columns, '-' prefix for descending; already checked against the view. */
  sort?: readonly string[] | undefined;
  /** Restrict to the ids loaded in temp.export_ids (--ids). */
  ids: boolean;
  sources: readonly SourceKey[];
  reasons: ReasonSpec;
  /** One row per contact (LEFT JOIN), for vCard. */
  withContacts: boolean;
  /** Build each row as one value (see LineSpec); the reasons follow it. */
  line?: LineSpec | undefined;
  /** Only ids in [@range_lo, @range_hi): one slice of a parallel export. */
  range?: boolean | undefined;
}

export type SqlParams = Record<string, string | number | null>;

const IDENT = /^[a-z_][a-z0-9_]*$/;

function column(name: string): string {
  if (!IDENT.test(name)) throw new Error(`export: not a column name: ${JSON.stringify(name)}`);
  return `f.${name}`;
}

/** The display name, as src/core/customers/display.ts computes it. */
const NAME_SQL = `CASE WHEN f.kind = 'company' AND coalesce(f.${COLUMN.companyName}, '') <> '' THEN f.${COLUMN.companyName}
  ELSE coalesce(nullif(trim(coalesce(f.${COLUMN.firstName}, '') || ' ' || coalesce(f.${COLUMN.lastName}, '')), ''), f.${COLUMN.companyName}, f.email, f.phone) END`;

const PHONE_IS_MOBILE = `(f.${COLUMN.phoneE164} IS NOT NULL AND carnet_export_is_mobile(f.${COLUMN.phoneE164}))`;

const CATEGORIES_OF_F = `FROM categories cat WHERE cat.id IN (SELECT cc.category_id FROM customer_categories cc WHERE cc.customer_id = f.id)`;
/** Most customers have no category: a probe of the index first spares them the sorted subquery. */
const HAS_CATEGORY = `EXISTS (SELECT 1 FROM customer_categories cc WHERE cc.customer_id = f.id)`;

function sourceSql(key: SourceKey, params: SqlParams, n: { extra: number }): string {
  switch (key) {
    case '@categories':
      // Sorted, so that two exports of the same file are the same bytes.
      return `CASE WHEN ${HAS_CATEGORY} THEN (SELECT group_concat(cat.name, char(31) ORDER BY cat.name COLLATE NOCASE) ${CATEGORIES_OF_F}) END`;
    case '@name':
      return NAME_SQL;
    case '@sms':
      // The number to text: the mobile, else the phone when it is a mobile number.
      return `coalesce(f.${COLUMN.mobileE164}, CASE WHEN ${PHONE_IS_MOBILE} THEN f.${COLUMN.phoneE164} END)`;
    case '@landline':
      // The phone, unless it already went to @sms.
      return `CASE WHEN f.${COLUMN.mobileE164} IS NULL AND ${PHONE_IS_MOBILE} THEN NULL ELSE f.${COLUMN.phoneE164} END`;
    case '@null':
      return 'NULL';
  }
  if (key.startsWith('extra.')) {
    const p = `x${n.extra++}`;
    params[p] = `$."${key.slice('extra.'.length)}"`;
    return `json_extract(f.extra, @${p})`;
  }
  if (key.startsWith('custom.')) return customFieldSql('f', key.slice('custom.'.length));
  if (key.startsWith('ct.')) {
    if (!(CONTACT_SOURCES as readonly string[]).includes(key)) throw new Error(`export: unknown contact column ${key}`);
    return key;
  }
  return column(key);
}

/** Why this row cannot be used on the channel, NULL if it can; a missing channel value last but one, suppression (hashing) last. */
function channelReason(ch: Channel, i: number, kinds: readonly SuppressionKind[]): string {
  const p = `@ch${i}`;
  const missing: Record<Channel, [string, string]> = {
    email: [`coalesce(f.email, '') = ''`, 'no_email'],
    sms: [`f.${COLUMN.mobileE164} IS NULL AND NOT ${PHONE_IS_MOBILE}`, 'no_mobile'],
    phone: [`f.${COLUMN.phoneE164} IS NULL AND f.${COLUMN.mobileE164} IS NULL`, 'no_phone'],
    post: [`coalesce(f.${COLUMN.addressLine1}, '') = '' OR coalesce(f.city, '') = ''`, 'no_address'],
  };
  const [noData, noDataReason] = missing[ch];
  const hashes: string[] = [];
  if (kinds.includes('email')) hashes.push(`carnet_export_hash('email', f.${COLUMN.emailNorm})`);
  if (kinds.includes('phone')) hashes.push(`carnet_export_hash('phone', f.${COLUMN.phoneE164})`, `carnet_export_hash('phone', f.${COLUMN.mobileE164})`);
  if (kinds.includes('siret')) hashes.push(`carnet_export_hash('siret', f.siret)`);
  const suppressed = hashes.length
    ? ` WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.hash IN (${hashes.join(', ')}) AND s.channel IN (${p}, 'all')) THEN 'suppressed'`
    : '';
  const tail = `CASE WHEN ${noData} THEN '${noDataReason}'${suppressed} END`;
  return `CASE
    WHEN f.archived_at IS NOT NULL THEN 'archived'
    WHEN f.restricted_at IS NOT NULL THEN 'restricted'
    WHEN EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = f.id AND k.channel = ${p} AND k.state = 'opposed') THEN 'opposed'
    ELSE CASE (SELECT k.state FROM consents k WHERE k.customer_id = f.id AND k.channel = ${p} AND k.purpose = 'marketing'
               ORDER BY k.recorded_at DESC, k.id DESC LIMIT 1)
      WHEN 'withdrawn' THEN 'withdrawn'
      WHEN 'refused' THEN 'refused'
      WHEN 'granted' THEN ${tail}
      ELSE CASE WHEN f.kind = 'company' THEN ${tail} ELSE 'no_consent' END
    END
  END`;
}

/** A number as people write it: 1234.5, 12 (not 12.0); with a decimal comma for French Excel. */
function numberText(expr: string, decimalComma: boolean): string {
  const t = `CASE WHEN typeof(${expr}) = 'real' AND ${expr} = CAST(${expr} AS INTEGER) THEN CAST(CAST(${expr} AS INTEGER) AS TEXT) ELSE ${expr} END`;
  return decimalComma ? `replace(${t}, '.', ',')` : t;
}

/** concat() takes at most 127 arguments by default: nest it for wide exports. */
function concatAll(parts: readonly string[]): string {
  if (parts.length <= 100) return `concat(${parts.join(', ')})`;
  const chunks: string[] = [];
  for (let i = 0; i < parts.length; i += 100) chunks.push(`concat(${parts.slice(i, i + 100).join(', ')})`);
  return concatAll(chunks);
}

function lineSql(spec: LineSpec, sources: readonly SourceKey[], params: SqlParams, n: { extra: number }): string {
  const exprs = sources.map((src, i) => {
    const kind = spec.kinds[i] ?? 'text';
    if (src === '@categories' && kind === 'list') {
      if (spec.format === 'json') {
        return `CASE WHEN ${HAS_CATEGORY} THEN json((SELECT json_group_array(name) FROM (SELECT cat.name AS name ${CATEGORIES_OF_F} ORDER BY cat.name COLLATE NOCASE))) ELSE json_array() END`;
      }
      params.list_join = spec.listJoin;
      return `CASE WHEN ${HAS_CATEGORY} THEN (SELECT group_concat(cat.name, @list_join ORDER BY cat.name COLLATE NOCASE) ${CATEGORIES_OF_F}) END`;
    }
    const e = sourceSql(src, params, n);
    if (kind === 'json') return spec.format === 'json' ? `json(${e})` : `nullif(${e}, '{}')`;
    if (kind === 'number' && spec.format === 'csv') return numberText(e, spec.decimalComma);
    return e;
  });
  if (spec.format === 'csv') return concatAll(exprs.flatMap((e, i) => (i === 0 ? [e] : [`'${LINE_SEPARATOR}'`, e])));
  // Keys travel as parameters: an extra.KEY column is named by the user.
  const args = exprs.flatMap((e, i) => {
    params[`k${i}`] = spec.keys[i] ?? `c${i}`;
    return [`@k${i}`, e];
  });
  if (args.length > 120) throw new Error('export: too many columns for one JSON object');
  return `json_object(${args.join(', ')})`;
}

const INACTIVE_REASON = `CASE WHEN f.archived_at IS NOT NULL THEN 'archived' WHEN f.restricted_at IS NOT NULL THEN 'restricted' END`;

/** The number of reason columns at the end of each row. */
export function reasonCount(r: ReasonSpec): number {
  return r.kind === 'channels' ? r.channels.length : r.kind === 'inactive' ? 1 : 0;
}

export function buildExportSql(q: ExportQuery): { sql: string; params: SqlParams } {
  const params: SqlParams = { ...(q.where?.params ?? {}) };
  const n = { extra: 0 };
  const select = q.line ? [lineSql(q.line, q.sources, params, n)] : q.sources.map((s) => sourceSql(s, params, n));
  if (q.reasons.kind === 'inactive') select.push(INACTIVE_REASON);
  if (q.reasons.kind === 'channels') {
    const { suppressed } = q.reasons;
    q.reasons.channels.forEach((ch, i) => {
      params[`ch${i}`] = ch;
      select.push(channelReason(ch, i, suppressed[i] ?? []));
    });
  }
  const where: string[] = [];
  if (q.where) where.push(q.where.sql);
  if (q.ids) where.push('f.id IN (SELECT id FROM temp.export_ids)');
  if (q.range) where.push('f.id >= @range_lo AND f.id < @range_hi');
  (q.categories ?? []).forEach((name, i) => {
    params[`cat${i}`] = name;
    where.push(
      `EXISTS (SELECT 1 FROM customer_categories cc JOIN categories cat ON cat.id = cc.category_id WHERE cc.customer_id = f.id AND cat.name = @cat${i})`,
    );
  });
  const order = [...(q.sort ?? []).map((s) => (s.startsWith('-') ? `${column(s.slice(1))} DESC` : `${column(s)} ASC`)), 'f.id'];
  if (q.withContacts) order.push('ct.id');
  const sql =
    `SELECT ${select.length ? select.join(',\n  ') : 'NULL'}\nFROM customer_facts f` +
    (q.withContacts ? ' LEFT JOIN contacts ct ON ct.customer_id = f.id' : '') +
    (where.length ? `\nWHERE ${where.join(' AND ')}` : '') +
    `\nORDER BY ${order.join(', ')}`;
  return { sql, params };
}
