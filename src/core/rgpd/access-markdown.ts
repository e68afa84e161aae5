import type { Row } from '../../db/repositories/rgpd-read.js';
import type { AccessReport } from './access.js';
import { KEY } from '../fields/catalogue.js';

/** A Markdown table cell: one line, pipes escaped. */
export function mdCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function mdTable(columns: string[], rows: Row[]): string[] {
  if (rows.length === 0) return ['(none)'];
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${columns.map((c) => mdCell(r[c])).join(' | ')} |`)];
}

function section(title: string, body: string[]): string[] {
  return ['', `## ${title}`, '', ...body];
}

const HIDDEN = new Set(['id', 'customer_id', KEY.emailNorm, KEY.phoneE164, KEY.mobileE164]);

/** The access report for the person: readable, complete, ready to send (mode 0600 when written). */
export function renderAccessMarkdown(r: AccessReport): string {
  const record = Object.entries(r.customer)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== '' && !(typeof v === 'object' && Object.keys(v as object).length === 0))
    .map(([field, value]) => ({ field, value }));
  const lines = [
    '# Personal data held about you',
    '',
    `Answer to an access request (RGPD art. 15), generated on ${r.generated_at.slice(0, 10)}.`,
    r.controller ? `Data controller: ${r.controller}.` : 'Data controller: (not set: carnet rgpd policy set controller "…")',
    `Your record's reference: ${r.subject.uid}.`,
    r.processing.restricted ? '\nProcessing of your data is **restricted** (art. 18): it is kept but not used.' : '',
    ...section('Your record', mdTable(['field', 'value'], record)),
    ...section('Contact persons', mdTable([KEY.firstName, KEY.lastName, 'role', KEY.email, KEY.phone, KEY.notes], r.contacts)),
    ...section('Exchanges with you', mdTable(['occurred_at', 'direction', 'kind', 'summary'], r.interactions)),
    ...section('Quotes, orders and invoices', mdTable(['issued_on', 'kind', 'number', 'amount_cents', 'currency', 'status', 'label'], r.sales.map((s) => ({ ...s, amount_cents: typeof s.amount_cents === 'number' ? (s.amount_cents / 100).toFixed(2) : s.amount_cents })))),
    ...section('Consents and oppositions', mdTable(['recorded_at', 'channel', 'purpose', 'state', 'source', 'proof'], r.consents)),
    ...section('Categories', mdTable(['name', 'assigned_by', 'assigned_at'], r.categories)),
    ...section('Where your data came from', r.sources.length ? r.sources.map((s) => `- ${s}`) : ['(not recorded)']),
    ...section('Files imported that concern you', mdTable(['started_at', 'file_name', 'line', 'action', 'source'], r.import_runs)),
    ...Object.entries(r.other_tables).flatMap(([t, rows]) => section(`Other data (${t})`, mdTable(Object.keys(rows[0] ?? {}), rows))),
    ...section('Oppositions recorded against your identifiers', mdTable(['created_at', 'kind', 'channel', 'reason'], r.suppressions)),
    ...section('Merges of duplicate records', mdTable(['merged_at', 'role', 'decided_by', 'undone_at'], r.merges)),
    ...section('What was done with your data', mdTable(['at', 'action', 'details'], r.audit.map((a) => ({ ...a })))),
    ...section('Why your data is held', r.processing.purposes.map((p) => `- ${p}`)),
    ...section('How long it is kept', mdTable(['data', 'kept_until', 'rule'], r.processing.retention)),
    ...section(
      'Who received it',
      r.processing.recipients.length
        ? r.processing.recipients.map((x) => `- ${x.recipient}: ${x.exports} export(s), last on ${x.last_at.slice(0, 10)}${x.outside_eu ? ' (outside the EU)' : ''}`)
        : ['No export was made from this file.'],
    ),
    ...section('Your rights', r.processing.rights.map((x) => `- ${x}`)),
    '',
  ];
  return lines.join('\n');
}
