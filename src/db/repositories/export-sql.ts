import type { Channel } from '../../core/model.js';
import { customFieldSql, customPath } from './custom-fields.js';
import type { SuppressionKind } from './suppressions.js';
import { COLUMN } from '../columns.js';
import { CONTACT_COLUMNS } from '../rows.js';
import { DIALECTS, type Dialect } from '../dialect.js';
import { sortTerms, type SortKey } from '../sort-sql.js';

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
  sort?: readonly SortKey[] | undefined;
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
const NAME_SQL = `CASE WHEN f.${COLUMN.kind} = 'company' AND coalesce(f.${COLUMN.companyName}, '') <> '' THEN f.${COLUMN.companyName}
  ELSE coalesce(nullif(trim(coalesce(f.${COLUMN.firstName}, '') || ' ' || coalesce(f.${COLUMN.lastName}, '')), ''), f.${COLUMN.companyName}, f.${COLUMN.email}, f.${COLUMN.phone}) END`;

/**
 * Is the phone a mobile number? SQLite asks JavaScript (carnet_export_is_mobile); PostgreSQL cannot
 * call it, so ExportRepo.useHelpers lists the file's mobile phones in the temp table export_mobiles.
 */
const phoneIsMobile = (d: Dialect): string =>
  d.engine === 'sqlite'
    ? `(f.${COLUMN.phoneE164} IS NOT NULL AND carnet_export_is_mobile(f.${COLUMN.phoneE164}))`
    : `(f.${COLUMN.phoneE164} IS NOT NULL AND EXISTS (SELECT 1 FROM pg_temp.export_mobiles m WHERE m.e164 = f.${COLUMN.phoneE164}))`;

/**
 * The salted hash of an identifier, as suppressions store it (hashIdentifier in src/core/rgpd):
 * JavaScript on SQLite; on PostgreSQL the same SHA-256 in SQL, the salt bound as @hash_salt.
 */
function hashSql(d: Dialect, kind: string, value: string): string {
  if (d.engine === 'sqlite') return `carnet_export_hash('${kind}', ${value})`;
  return `CASE WHEN ${value} <> '' THEN encode(sha256(convert_to(@hash_salt, 'UTF8') || '\\x00'::bytea || convert_to('${kind}', 'UTF8') || '\\x00'::bytea
    || convert_to(${value}, 'UTF8')), 'hex') END`;
}

/**
 * A field of one's own on PostgreSQL as SQLite's json_extract gives it: yes/no as 1/0, the rest
 * as text (`text`), or as the JSON text of that value (`json`: numbers unquoted, for JSON lines).
 */
function pgCustomValue(key: string, as: 'text' | 'json'): string {
  const v = `(CAST(f.custom AS json) -> '${customPath(key).slice(2)}')`;
  const other = as === 'text' ? `${v} #>> '{}'` : `CAST(${v} AS text)`;
  return `CASE json_typeof(${v}) WHEN 'boolean' THEN CASE WHEN CAST(${v} AS text) = 'true' THEN '1' ELSE '0' END WHEN 'null' THEN NULL ELSE ${other} END`;
}

/** Category names in NOCASE order, joined by `sep`. */
const categoryList = (d: Dialect, sep: string): string =>
  `(SELECT ${d.groupConcat('cat.name', sep, d.nocase('cat.name'))} ${CATEGORIES_OF_F})`;

const CATEGORIES_OF_F = `FROM categories cat WHERE cat.id IN (SELECT cc.category_id FROM customer_categories cc WHERE cc.customer_id = f.id)`;
/** Most customers have no category: a probe of the index first spares them the sorted subquery. */
const HAS_CATEGORY = `EXISTS (SELECT 1 FROM customer_categories cc WHERE cc.customer_id = f.id)`;

/**
 * What building one query counts and knows: the extra.* parameters so far, and
 * the keys of yes/no fields (PostgreSQL needs a field's type to give its value
 * SQLite's json_extract type: 1/0 for yes/no, text for the others).
 */
interface BuildCtx {
  extra: number;
  bools: ReadonlySet<string>;
}

function sourceSql(key: SourceKey, params: SqlParams, n: BuildCtx, d: Dialect): string {
  const PHONE_IS_MOBILE = phoneIsMobile(d);
  switch (key) {
    case '@categories':
      // Sorted, so that two exports of the same file are the same bytes.
      return d.engine === 'sqlite'
        ? `CASE WHEN ${HAS_CATEGORY} THEN (SELECT group_concat(cat.name, char(31) ORDER BY cat.name COLLATE NOCASE) ${CATEGORIES_OF_F}) END`
        : `CASE WHEN ${HAS_CATEGORY} THEN ${categoryList(d, 'chr(31)')} END`;
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
    params[p] = d.jsonKey(key.slice('extra.'.length));
    return d.engine === 'sqlite' ? `json_extract(f.extra, @${p})` : d.jsonTextAt('f.extra', `@${p}`);
  }
  if (key.startsWith('custom.')) {
    const field = key.slice('custom.'.length);
    if (d.engine === 'sqlite') return customFieldSql('f', field, d);
    return n.bools.has(field) ? customFieldSql('f', field, d, 'number') : pgCustomValue(field, 'text');
  }
  if (key.startsWith('ct.')) {
    if (!(CONTACT_SOURCES as readonly string[]).includes(key)) throw new Error(`export: unknown contact column ${key}`);
    return key;
  }
  return column(key);
}

/** Why this row cannot be used on the channel, NULL if it can; a missing channel value last but one, suppression (hashing) last. */
function channelReason(ch: Channel, i: number, kinds: readonly SuppressionKind[], d: Dialect): string {
  const p = `@ch${i}`;
  const PHONE_IS_MOBILE = phoneIsMobile(d);
  const missing: Record<Channel, [string, string]> = {
    email: [`coalesce(f.${COLUMN.email}, '') = ''`, 'no_email'],
    sms: [`f.${COLUMN.mobileE164} IS NULL AND NOT ${PHONE_IS_MOBILE}`, 'no_mobile'],
    phone: [`f.${COLUMN.phoneE164} IS NULL AND f.${COLUMN.mobileE164} IS NULL`, 'no_phone'],
    post: [`coalesce(f.${COLUMN.addressLine1}, '') = '' OR coalesce(f.${COLUMN.city}, '') = ''`, 'no_address'],
  };
  const [noData, noDataReason] = missing[ch];
  const hashes: string[] = [];
  if (kinds.includes('email')) hashes.push(hashSql(d, 'email', `f.${COLUMN.emailNorm}`));
  if (kinds.includes('phone')) hashes.push(hashSql(d, 'phone', `f.${COLUMN.phoneE164}`), hashSql(d, 'phone', `f.${COLUMN.mobileE164}`));
  if (kinds.includes('siret')) hashes.push(hashSql(d, 'siret', `f.${COLUMN.siret}`));
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
      ELSE CASE WHEN f.${COLUMN.kind} = 'company' THEN ${tail} ELSE 'no_consent' END
    END
  END`;
}

/** A number as people write it: 1234.5, 12 (not 12.0); with a decimal comma for French Excel. */
function numberText(expr: string, decimalComma: boolean, d: Dialect): string {
  // PostgreSQL writes a whole double without ".0" already.
  if (d.engine !== 'sqlite') return decimalComma ? `replace(CAST(${expr} AS text), '.', ',')` : expr;
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

function lineSql(spec: LineSpec, sources: readonly SourceKey[], params: SqlParams, n: BuildCtx, d: Dialect): string {
  const pg = d.engine !== 'sqlite';
  /** Values already JSON text (PostgreSQL builds the object by hand, see pgJsonObject). */
  const raw = new Set<number>();
  const exprs = sources.map((src, i) => {
    const kind = spec.kinds[i] ?? 'text';
    if (src === '@categories' && kind === 'list') {
      if (spec.format === 'json') {
        if (pg) {
          raw.add(i);
          return `CASE WHEN ${HAS_CATEGORY} THEN '[' || (SELECT string_agg(to_json(cat.name)::text, ',' ORDER BY lower(cat.name)) ${CATEGORIES_OF_F}) || ']' ELSE '[]' END`;
        }
        return `CASE WHEN ${HAS_CATEGORY} THEN json((SELECT json_group_array(name) FROM (SELECT cat.name AS name ${CATEGORIES_OF_F} ORDER BY cat.name COLLATE NOCASE))) ELSE json_array() END`;
      }
      params.list_join = spec.listJoin;
      return pg
        ? `CASE WHEN ${HAS_CATEGORY} THEN ${categoryList(d, 'CAST(@list_join AS text)')} END`
        : `CASE WHEN ${HAS_CATEGORY} THEN (SELECT group_concat(cat.name, @list_join ORDER BY cat.name COLLATE NOCASE) ${CATEGORIES_OF_F}) END`;
    }
    if (pg && spec.format === 'json' && src.startsWith('custom.')) {
      raw.add(i);
      return pgCustomValue(src.slice('custom.'.length), 'json');
    }
    const e = sourceSql(src, params, n, d);
    if (kind === 'json' && spec.format === 'json' && pg) raw.add(i);
    if (kind === 'json') return spec.format === 'json' ? d.json(e) : `nullif(${e}, '{}')`;
    if (kind === 'number' && spec.format === 'csv') return numberText(e, spec.decimalComma, d);
    return e;
  });
  if (spec.format === 'csv') return concatAll(exprs.flatMap((e, i) => (i === 0 ? [e] : [`'${LINE_SEPARATOR}'`, e])));
  // Keys travel as parameters: an extra.KEY column is named by the user.
  const args = exprs.flatMap((e, i) => {
    params[`k${i}`] = spec.keys[i] ?? `c${i}`;
    return [`@k${i}`, e];
  });
  if (args.length > 120) throw new Error('export: too many columns for one JSON object');
  return pg ? pgJsonObject(args, raw) : `json_object(${args.join(', ')})`;
}

/**
 * SQLite's json_object(k1, v1, …) bytes on PostgreSQL (json_build_object writes `"k" : v`):
 * minified, NULL as null; `raw` holds the indexes of values that are JSON text already.
 */
function pgJsonObject(args: readonly string[], raw: ReadonlySet<number>): string {
  const pairs: string[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const v = raw.has(i / 2) ? `coalesce(${args[i + 1]}, 'null')` : `coalesce(to_json(${args[i + 1]})::text, 'null')`;
    pairs.push(`to_json(CAST(${args[i]} AS text))::text || ':' || ${v}`);
  }
  return `'{' || ${pairs.join(` || ',' || `)} || '}'`;
}

const INACTIVE_REASON = `CASE WHEN f.archived_at IS NOT NULL THEN 'archived' WHEN f.restricted_at IS NOT NULL THEN 'restricted' END`;

/** The number of reason columns at the end of each row. */
export function reasonCount(r: ReasonSpec): number {
  return r.kind === 'channels' ? r.channels.length : r.kind === 'inactive' ? 1 : 0;
}

/** `bools`: the keys of the yes/no fields of one's own (PostgreSQL only; see BuildCtx). */
export function buildExportSql(q: ExportQuery, d: Dialect = DIALECTS.sqlite, bools: ReadonlySet<string> = new Set()): { sql: string; params: SqlParams } {
  const params: SqlParams = { ...(q.where?.params ?? {}) };
  const n: BuildCtx = { extra: 0, bools };
  const select = q.line ? [lineSql(q.line, q.sources, params, n, d)] : q.sources.map((s) => sourceSql(s, params, n, d));
  if (q.reasons.kind === 'inactive') select.push(INACTIVE_REASON);
  if (q.reasons.kind === 'channels') {
    const { suppressed } = q.reasons;
    q.reasons.channels.forEach((ch, i) => {
      params[`ch${i}`] = ch;
      select.push(channelReason(ch, i, suppressed[i] ?? [], d));
    });
  }
  const where: string[] = [];
  if (q.where) where.push(q.where.sql);
  if (q.ids) where.push(`f.id IN (SELECT id FROM ${d.temp('export_ids')})`);
  if (q.range) where.push('f.id >= @range_lo AND f.id < @range_hi');
  (q.categories ?? []).forEach((name, i) => {
    params[`cat${i}`] = name;
    where.push(
      `EXISTS (SELECT 1 FROM customer_categories cc JOIN categories cat ON cat.id = cc.category_id WHERE cc.customer_id = f.id AND ${d.nocaseEq('cat.name', `@cat${i}`)})`,
    );
  });
  const order = [...sortTerms(q.sort, d), 'f.id'];
  if (q.withContacts) order.push('ct.id');
  const sql =
    `SELECT ${select.length ? select.join(',\n  ') : 'NULL'}\nFROM customer_facts f` +
    (q.withContacts ? ' LEFT JOIN contacts ct ON ct.customer_id = f.id' : '') +
    (where.length ? `\nWHERE ${where.join(' AND ')}` : '') +
    `\nORDER BY ${order.join(', ')}`;
  return { sql, params };
}
