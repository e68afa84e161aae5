import { mdCell, mdTable } from './access-markdown.js';
import type { RegisterData } from './register.js';
import { KEY } from '../fields/catalogue.js';

const yes = (b: boolean) => (b ? 'yes' : '**no**');

/** The art. 30 record as a Markdown document, ready to print and keep. */
export function renderRegisterMarkdown(d: RegisterData): string {
  const p = d.people;
  const a = d.activity;
  const lines: string[] = [
    '# Record of processing activities (RGPD art. 30)',
    '',
    `Generated on ${d.generated_at.slice(0, 10)} by carnet from the file ${mdCell(d.database)}.`,
    '',
    `**Controller:** ${d.controller ? mdCell(d.controller) : '(not set: carnet rgpd policy set controller "Name, address, e-mail")'}`,
    '',
    '## Processing: customer and prospect file',
    '',
    '### Purposes and legal bases',
    '',
    ...d.purposes.map((x) => `- ${x}`),
    '',
    '### Categories of people',
    '',
    ...mdTable(['people', 'records'], [
      { people: 'all records', records: p.total },
      { people: 'individuals', records: p.persons },
      { people: 'companies and sole traders', records: p.companies },
      { people: 'prospects (no purchase)', records: p.prospects },
      { people: 'clients (at least one order or invoice)', records: p.clients },
      { people: 'contact persons at companies', records: p.contact_persons },
      { people: 'archived (kept for the accounts only)', records: p.archived },
      { people: 'restricted (art. 18)', records: p.restricted },
      { people: 'people under 15', records: p.under_15 },
    ]),
    '',
    '### Categories of data (records where filled)',
    '',
    ...mdTable(
      ['category', 'fields'],
      d.data_categories.map((c) => ({ category: c.category, fields: c.fields.filter((f) => f.rows > 0).map((f) => `${f.field} (${f.rows})`).join(', ') || '(none)' })),
    ),
    '',
    ...mdTable(['related data', 'rows'], [
      { 'related data': 'contact persons (with e-mail / phone)', rows: `${a.contacts} (${a.contacts_with_email} / ${a.contacts_with_phone})` },
      { 'related data': 'exchanges logged (with free text)', rows: `${a.interactions} (${a.interactions_with_text})` },
      { 'related data': 'quotes, orders, invoices (invoices and credit notes)', rows: `${a.sales} (${a.invoices})` },
      { 'related data': 'consent records (granted)', rows: `${a.consents} (${a.consents_granted})` },
      { 'related data': 'people who objected to prospecting', rows: a.oppositions },
      { 'related data': 'hashed identifiers of erased or opposed people', rows: a.suppressions },
    ]),
    '',
    d.imported_columns.length
      ? `Imported columns kept as is: ${d.imported_columns.map((c) => `${mdCell(c.key)} (${c.rows})`).join(', ')}.`
      : 'No imported column is kept outside the known fields.',
    '',
    '### Sources of the data',
    '',
    ...mdTable([KEY.source, 'records'], d.sources.map((x) => ({ [KEY.source]: x.source, records: x.rows }))),
    `\nImports run: ${a.import_runs}.`,
    '',
    '### Retention periods in force',
    '',
    ...mdTable(['rule', 'period', 'meaning'], d.retention.map((r) => ({ rule: r.key, period: r.value, meaning: r.meaning }))),
    '',
    d.last_purge ? `Last retention purge: ${d.last_purge.at.slice(0, 10)} (${mdCell(d.last_purge.details)}).` : 'No retention purge has been run yet.',
    '',
    '### Recipients',
    '',
    ...(d.recipients.length
      ? mdTable(['recipient', 'exports', 'first', 'last', 'rows', 'outside the EU'], d.recipients.map((r) => ({
          recipient: r.recipient, exports: r.exports, first: r.first_at.slice(0, 10), last: r.last_at.slice(0, 10), rows: r.rows ?? '', 'outside the EU': r.outside_eu === null ? 'unknown' : r.outside_eu ? 'yes' : 'no',
        })))
      : ['No export was made from this file: the data stays with the controller.']),
    '',
    '### Security measures',
    '',
    ...d.security.files.map((f) => `- ${mdCell(f.path)}: mode ${f.mode}${f.private ? ' (private to its user)' : ' (**readable by others**)'}`),
    `- journal mode: ${d.security.journal_mode}; foreign keys enforced: ${yes(d.security.foreign_keys)}`,
    `- deleted data overwritten with zeros (secure_delete): ${yes(d.security.secure_delete)}; full-text index secure-delete: ${yes(d.security.fts_secure_delete)}`,
    `- erasure: ${d.security.erasure}`,
    '- erased and opposed people: identifiers kept only as salted SHA-256 hashes, so no import brings them back',
    '- an identifier that a customer who stays also holds (a family e-mail, a shared phone) is kept off that list: it is theirs too, and their next import must not be refused',
    '- every access, erasure, opposition, consent, restriction and purge is recorded in the audit log, without personal data',
    ...(d.security.backups.length
      ? d.security.backups.map((b) => `- backup ${mdCell(b.path)}: mode ${b.mode}${b.private ? '' : ' (**readable by others**)'}`)
      : ['- no backup recorded']),
    ...d.security.beyond_reach.map((x) => `- not reachable by carnet on the server: ${x}`),
    ...d.security.rejects.map((b) => `- rejected rows of an import ${mdCell(b.path)}: mode ${b.mode}${b.private ? '' : ' (**readable by others**)'}; erasures remove the person from it, the retention policy deletes it`),
    '',
    '### Rights exercised and RGPD acts recorded',
    '',
    ...mdTable(['act', 'times'], Object.entries(d.rights_exercised).map(([act, times]) => ({ act, times }))),
    '',
  ];
  if (d.warnings.length) lines.push('### Points to review', '', ...d.warnings.map((w) => `- ${w}`), '');
  return lines.join('\n');
}
