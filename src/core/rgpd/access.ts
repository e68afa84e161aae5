import { isoNow, type Ctx } from '../context.js';
import { RgpdReadRepo, type Row } from '../../db/repositories/rgpd-read.js';
import { cutoffDay, dayAfter, describeDuration, latest } from './duration.js';
import { rgpdRepo } from './erase.js';
import { renderAccessMarkdown } from './access-markdown.js';
import { readPolicy } from './policy.js';
import { writePrivateFile } from '../../io/private-file.js';
import { exportRecipients, type Recipient } from './recipients.js';
import { resolveCustomer } from './subject.js';
import { identifierHashes, suppressionSalt } from './suppression.js';
import { KEY } from '../fields/catalogue.js';

export function readRepo(ctx: Ctx): RgpdReadRepo {
  return ctx.store.extension('rgpd-read', (db) => new RgpdReadRepo(db));
}

export interface AccessReport {
  generated_at: string;
  controller: string | null;
  subject: { id: number; uid: string };
  customer: Row;
  contacts: Row[];
  interactions: Row[];
  sales: Row[];
  consents: Row[];
  categories: Row[];
  /** The import runs that brought or changed the record, with the line in the file. */
  import_runs: Row[];
  /** Where the data came from: the record's source, its external system, the import files. */
  sources: string[];
  /** Rows of tables added by later versions that point at the record. */
  other_tables: Record<string, Row[]>;
  /** Oppositions and erasures recorded against the person's identifiers (as hashes: only kind, channel and date show). */
  suppressions: Row[];
  merges: Row[];
  dedupe_decisions: Row[];
  audit: { at: string; actor: string | null; action: string; details: Record<string, unknown> }[];
  processing: {
    purposes: string[];
    retention: { data: string; kept_until: string | null; rule: string }[];
    recipients: Recipient[];
    restricted: boolean;
    rights: string[];
  };
}

const KNOWN = new Set(['contacts', 'interactions', 'sales', 'consents', 'customer_categories', 'customer_import_runs']);

export const PURPOSES = [
  'managing orders, quotes, invoices and the customer relationship (contract: RGPD art. 6.1.b)',
  'keeping accounting documents (legal obligation: art. 6.1.c, Code de commerce L123-22)',
  'commercial prospecting by post and phone, and by e-mail/SMS to professionals (legitimate interest: art. 6.1.f)',
  'prospecting individuals by e-mail or SMS only with their consent (CPCE L34-5)',
];

export const RIGHTS = [
  'access and copy (art. 15), portability (art. 20): this report',
  'rectification (art. 16): carnet edit',
  'erasure (art. 17): carnet rgpd forget',
  'restriction (art. 18): carnet rgpd restrict',
  'objection to prospecting, at any time and free (art. 21): carnet rgpd optout',
  'a complaint to the CNIL (www.cnil.fr/plaintes)',
];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Audit details may name other records (the other side of a merge or a "distinct" decision): not theirs to see. */
function othersHidden(details: Record<string, unknown>, uid: string): Record<string, unknown> {
  const text = JSON.stringify(details).replace(UUID, (m) => (m.toLowerCase() === uid ? m : 'another record'));
  return JSON.parse(text) as Record<string, unknown>;
}

/** Everything held on one person, and nothing on anyone else (RGPD art. 15 and 20). */
export function buildAccessReport(ctx: Ctx, ref: string): AccessReport {
  const at = isoNow(ctx);
  const c = ctx.store.tx(() => {
    const customer = resolveCustomer(ctx, ref);
    ctx.store.audit.record({ at, action: 'rgpd.access', subject: customer.uid, actor: ctx.actor ?? null });
    return customer;
  });
  const read = readRepo(ctx);
  const policy = readPolicy(ctx);
  const other: Record<string, Row[]> = {};
  for (const r of rgpdRepo(ctx).customerRefs()) {
    if (KNOWN.has(r.table)) continue;
    const rows = read.rowsOf(r.table, r.column, c.id);
    if (rows.length > 0) other[r.table] = [...(other[r.table] ?? []), ...rows];
  }
  const contacts = read.rowsOf('contacts', 'customer_id', c.id);
  const salt = suppressionSalt(ctx.store);
  const ids = [{ emailNorm: c.emailNorm, phoneE164: c.phoneE164, mobileE164: c.mobileE164, siret: c.siret }];
  for (const ct of contacts) ids.push({ emailNorm: (ct[KEY.emailNorm] as string | null) ?? null, phoneE164: (ct[KEY.phoneE164] as string | null) ?? null, mobileE164: null, siret: null });
  const hashes = [...new Set(ids.flatMap((i) => identifierHashes(salt, i).map((h) => h.hash)))];
  const importRuns = read.importRunsOf(c.id);
  const sources = [
    ...new Set(
      [c.source, c.externalSource && `external system: ${c.externalSource}`, ...importRuns.map((r) => `import of ${String(r.file_name)}${r.source ? ` (${String(r.source)})` : ''}`)].filter(
        (s): s is string => typeof s === 'string' && s.length > 0,
      ),
    ),
  ];
  const fact = rgpdRepo(ctx).retentionOf(c.id, cutoffDay(ctx.now(), policy.invoices));
  const retention: AccessReport['processing']['retention'] = [];
  if (fact) {
    const client = fact.last_purchase !== null || ['client', 'former_client'].includes(fact.status);
    const incoming = latest(fact.last_contact_at, fact.last_in) ?? fact.created_at;
    if (client) {
      const end = latest(fact.last_purchase, fact.last_contact_at, fact.last_in) ?? fact.created_at;
      retention.push({ data: 'customer record and marketing data', kept_until: dayAfter(end, policy.clientMarketing), rule: `${describeDuration(policy.clientMarketing)} after the end of the relationship` });
    } else {
      retention.push({ data: 'prospect record', kept_until: dayAfter(incoming, policy.prospect), rule: `${describeDuration(policy.prospect)} after the last contact from you` });
    }
    if (fact.last_invoice) retention.push({ data: 'invoices', kept_until: dayAfter(fact.last_invoice, policy.invoices), rule: `${describeDuration(policy.invoices)} from issue` });
  }
  return {
    generated_at: at,
    controller: policy.controller,
    subject: { id: c.id, uid: c.uid },
    customer: read.customerRow(c.id) ?? {},
    contacts,
    interactions: read.rowsOf('interactions', 'customer_id', c.id),
    sales: read.rowsOf('sales', 'customer_id', c.id),
    consents: read.consentsOf(c.id),
    categories: read.categoriesOf(c.id),
    import_runs: importRuns,
    sources,
    other_tables: other,
    suppressions: read.suppressionsOf(hashes),
    merges: read.mergesOf(c.id, c.uid),
    dedupe_decisions: read.decisionsOf(c.uid),
    audit: read.auditAbout(c.uid, hashes).map((e) => ({ at: e.at, actor: e.actor, action: e.action, details: othersHidden(e.details, c.uid) })),
    processing: { purposes: PURPOSES, retention, recipients: exportRecipients(ctx), restricted: c.restrictedAt !== null, rights: RIGHTS },
  };
}

export interface AccessResult {
  uid: string;
  format: 'json' | 'md';
  /** The report itself when no file was asked for. */
  content: string | null;
  file: { path: string; bytes: number } | null;
}

/** Builds the report and writes it to `out` (mode 0600) or returns it for stdout. */
export function accessRequest(ctx: Ctx, ref: string, opts: { format: 'json' | 'md'; out?: string }): AccessResult {
  const report = buildAccessReport(ctx, ref);
  const content = opts.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderAccessMarkdown(report);
  if (!opts.out) return { uid: report.subject.uid, format: opts.format, content, file: null };
  return { uid: report.subject.uid, format: opts.format, content: null, file: writePrivateFile(opts.out, content, 'the access report') };
}
