import type { Allow } from './fields-literals.js';

/**
 * The texts of src (test/unit/fields-literals.ts reads them) that spell a
 * one-word field key (kind, siret, email, phone, mobile, city, country,
 * status, source, notes) and do not mean the customer's field: per file,
 * with why. A text that names the field is written through KEY, COLUMN or
 * cols() instead, never added here. Texts are as the scanner gives them
 * (runs of white space made one space); a piece of a long SQL statement
 * stands for the occurrences it contains (see uncovered()).
 */

const HELP = 'help and messages: English words, example command lines (carnet add --email …, --where \'city = "Lyon"\')';
const IDS = 'help: the ways to name a customer (id, uid, e-mail, phone or SIRET)';
const CHANNEL = 'a consent channel (Channel: email, sms, phone, post), not the field';
const HELD = 'an identifier\'s kind (heldAs: email, phone, siret) in customer_aliases and suppressions, not the field';
const SALE = 'a sale\'s kind (quote, order, invoice, credit) and status (sent, paid…), columns of sales';
const INTERACTION = 'an interaction\'s kind (call, email, meeting…), a column of interactions';
const CATEGORY = 'a category\'s kind (manual, rule…), a column of categories';

export const ALLOWED: Readonly<Record<string, readonly Allow[]>> = {
  'cli/help.ts': [{ why: IDS, texts: ['id, uid, e-mail, phone or SIRET'] }],
  'cli/commands/categorise-category-more.ts': [{ why: CATEGORY, texts: ['list categories with their kind, member count and rule', 'kind'] }],
  'cli/commands/categorise-followups.ts': [{ why: HELP, texts: ["carnet followups --json | jq -r '.followups[].email'"] }],
  'cli/commands/categorise-render.ts': [
    { why: 'the lifecycle statuses categorise changed, a word of its report', texts: ['status: '] },
    { why: CATEGORY, texts: ['kind'] },
  ],
  'cli/commands/categorise-run.ts': [{ why: HELP, texts: ['show who would change status, enter and leave each category; write nothing'] }],
  'cli/commands/categorise-stats.ts': [{ why: HELP, texts: ['By status'] }],
  'cli/commands/export.ts': [
    { why: HELP, texts: ['filter, e.g. \'city = "Lyon" and revenue >= 1000\'', 'carnet export --where \'city = "Lyon"\' --for marketing:sms --preset brevo > sms-lyon.csv', 'carnet export --format xlsx --where \'city = "Lyon"\' --out clients-lyon.xlsx', "carnet list --where 'status = client' --csv | carnet export --ids --nl"] },
    { why: CHANNEL, texts: ['marketing[:email|sms|phone|post]: only those who may be contacted that way', 'carnet export --preset brevo --for marketing:email --out brevo.csv'] },
  ],
  'cli/commands/import.ts': [
    { why: 'the --source and --country options of import and their help', texts: ['--source <name>', '--country <code>', 'country assumed for addresses and phones without one (e.g. FR)', 'curl -s https://crm.example/export.csv | carnet import - --source crm --json'] },
  ],
  'cli/commands/records-activity.ts': [
    { why: HELP, texts: ['carnet contact add 73282932000074 --first-name Paul --last-name Martin --role comptable --email compta@dupont.fr'] },
    { why: `${INTERACTION}; ${SALE}: the --kind and --status options`, texts: ['-k, --kind <kind>', 'call, email, meeting, mailing, sms, note, letter or visit', 'carnet log elodie.meyer@sfr.fr --kind call --direction in --note "wants a quote for March"', 'document number (unique per kind), e.g. F-2026-012', '--status <status>', 'carnet sale add 12 --kind invoice --number F-12 --amount 1200.50 --status unpaid --issued 2026-01-15 --due 2026-02-15'] },
  ],
  'cli/commands/records-add.ts': [
    { why: HELP, texts: ['carnet add --first-name Élodie --last-name Meyer --email " Elodie.Meyer@SFR.fr " --phone "06 12 34 56 78"', 'carnet add --kind company --company "Boulangerie Dupont SARL" --siret "732 829 320 00074" --city Lyon', 'already in the file with the same e-mail, phone or SIRET: '] },
  ],
  'cli/commands/records-list.ts': [
    { why: HELP, texts: ['filter, e.g. \'city = "Lyon" and revenue >= 1000\'', "carnet list --where 'city is empty' --nl", 'find customers by name, company, city or notes (accents and case ignored), or by e-mail: a whole address, its local part or @domain'] },
  ],
  'cli/commands/rgpd-render.ts': [
    { why: HELP, texts: [' identifier(s) kept off the suppression list: a customer who stays holds them too (a family e-mail, a shared phone), and the next import of that customer must go through'] },
    { why: `${HELD}, and the word shown for it`, texts: ['email', 'phone'] },
  ],
  'cli/commands/rgpd-rights.ts': [
    { why: `${CHANNEL}; the consent's own source (--source)`, texts: ['email, sms, phone, post or all', '--source <text>', 'how the objection came (reply to mailing, phone call…)', 'carnet rgpd optout 12 --channel sms --source "STOP SMS"', 'record a consent given, refused or withdrawn on a channel, with its source and proof', 'where and how it was collected (form, signed quote, phone…)', 'carnet rgpd consent elodie.meyer@sfr.fr --channel email --granted --source "formulaire site" --at 2026-03-01 --proof "form#8812"'] },
  ],
  'cli/program.ts': [{ why: HELP, texts: ['--email elodie.meyer@sfr.fr', '--where \'city = "Lyon"'] }],
  'core/customers/activity.ts': [
    { why: HELP, texts: ['a contact needs a name, an e-mail or a phone'] },
    { why: `${INTERACTION}; ${SALE}: the --kind and --status options`, texts: ['--kind', '--status', 'numbers are unique per kind'] },
  ],
  'core/customers/add.ts': [{ why: HELP, texts: ['for example --set city=Lyon', 'a customer needs a name, a company name, an e-mail or a phone'] }],
  'core/customers/ref.ts': [
    { why: HELD, texts: ['email', 'siret'] },
    { why: IDS, texts: ['give an id, a uid, an e-mail, a phone, a SIRET or an external id (Réf); `carnet search TEXT` finds by name'] },
  ],
  'core/dedupe/scorer.ts': [{ why: HELP, texts: ['businesses sharing only an address or a name, no phone, e-mail or SIREN: capped below even odds'] }],
  'core/export/columns.ts': [{ why: CHANNEL, texts: ['email', 'phone'] }],
  'core/export/index.ts': [{ why: CHANNEL, texts: ['consent was not checked: add --for marketing:email (or :sms) to send '] }],
  'core/export/plan.ts': [
    { why: `${CHANNEL}: --for's channel names`, texts: ['email', 'phone', 'use --for marketing:email (or :sms, :phone, :post)', 'e.g. --for marketing:email'] },
    { why: HELP, texts: ['--columns does not apply to vCard: each card holds names, e-mail, phones, address, notes and categories'] },
  ],
  'core/export/types.ts': [{ why: 'why a row is left out of an export, in words', texts: ['without mobile', 'without phone'] }],
  'core/export/write-cards.ts': [{ why: 'a column read by the vCard writer (a source of the query), in an internal error', texts: ['vCard: no source '] }],
  'core/filter/errors.ts': [{ why: HELP, texts: ['check the filter syntax, e.g. city = "Lyon" and revenue >= 1000 and not category "VIP"'] }],
  'core/import/activity-rows.ts': [
    { why: `${SALE}; ${INTERACTION}: the columns of a sales or interactions file`, texts: ['kind', 'status', 'Payment status', 'appel, email, rendez-vous, mailing, sms, note, courrier, visite'] },
    { why: INTERACTION, texts: ['email'] },
    { why: 'a header of an activity file naming its customer', texts: ['Customer email'] },
  ],
  'core/import/mapping.ts': [{ why: HELP, texts: ['address (street, city, state, postal code, country in one cell)'] }],
  'core/import/presets.ts': [
    { why: CHANNEL, texts: ['email'] },
    { why: 'a header key of Brevo\'s and Google\'s files (EMAIL, Phone 1 - Value), not the field', texts: ['phone'] },
  ],
  'core/import/row-state.ts': [{ why: 'an internal error\'s description of a catalogue entry looked up by its properties', texts: ['phone for text messages', 'phone of no particular kind'] }],
  'core/import/row.ts': [{ why: HELP, texts: ['nothing in this row identifies anyone: no last name, no first name with an address or a birth date, no company, e-mail, phone or external id'] }],
  'core/import/synonyms.ts': [{ why: `${CHANNEL}, and headers of consent columns`, texts: ['email', 'Consentement email', 'Do not email'] }],
  'core/import/targets.ts': [{ why: `${CHANNEL}: the consent.<channel> targets of --map`, texts: ['consent.email', 'consent.phone', 'email', 'phone'] }],
  'core/import/values.ts': [{ why: CHANNEL, texts: ['email', 'phone'] }],
  'core/model.ts': [{ why: `${INTERACTION}; ${CHANNEL}`, texts: ['email', 'phone'] }],
  'core/normalise/country.ts': [{ why: HELP, texts: ["' is not a country I know"] }],
  'core/normalise/customer.ts': [
    { why: 'a NormRule name (the catalogue\'s `norm`, typed), not the field', texts: ['kind', 'email', 'phone'] },
    { why: HELP, texts: ['a customer needs a name, a company name, an e-mail or a phone', 'give at least --last-name, --company, --email or --phone'] },
  ],
  'core/normalise/phone.ts': [
    { why: HELP, texts: ["' is not a phone number", 'one number per field; put a second one in mobile or in a contact'] },
    { why: 'a module path of libphonenumber-js', texts: ['libphonenumber-js/mobile'] },
  ],
  'core/normalise/vat.ts': [{ why: HELP, texts: ['an intra-community VAT number starts with its country code, e.g. FR40303265045'] }],
  'core/normalise/vocabulary.ts': [{ why: HELP, texts: ["' is not a kind of customer"] }],
  'core/rgpd/access-markdown.ts': [
    { why: `${INTERACTION}; ${SALE}; the source of a consent or an import run; ${HELD}: headers of those tables`, texts: ['kind', 'status', 'source'] },
  ],
  'core/rgpd/access.ts': [{ why: HELP, texts: ['commercial prospecting by post and phone, and by e-mail/SMS to professionals (legitimate interest: art. 6.1.f)'] }],
  'core/rgpd/erase.ts': [{ why: HELD, texts: ['email', 'phone'] }],
  'core/rgpd/identifiers.ts': [{ why: HELD, texts: ['email', 'phone', 'siret'] }],
  'core/rgpd/policy.ts': [{ why: HELP, texts: ['a client loses marketing data (consents, categories, interactions, notes) this long after the relationship ended, and is archived', 'invoices and credit notes are kept this long from their issue date (Code de commerce L123-22), with the identity they carry'] }],
  'core/rgpd/purge-plan.ts': [{ why: 'a purge item\'s kind (Pick<PurgeItem, \'kind\'>)', texts: ['kind'] }],
  'core/rgpd/register-markdown.ts': [{ why: HELP, texts: ['contact persons (with e-mail / phone)', 'quotes, orders, invoices (invoices and credit notes)', '- an identifier that a customer who stays also holds (a family e-mail, a shared phone) is kept off that list: it is theirs too, and their next import must not be refused'] }],
  'core/rgpd/register.ts': [{ why: HELP, texts: ['free-text notes and summaries exist: they must stay objective and hold no sensitive data (health, opinions, religion…)'] }],
  'core/rgpd/rights.ts': [
    { why: `${CHANNEL}: the words --channel accepts`, texts: ['email', 'phone'] },
    { why: 'the consent\'s own source (--source), not the customer\'s', texts: ['--source is required: where and how the consent was collected', 'e.g. --source "formulaire site web"'] },
  ],
  'core/rgpd/suppression.ts': [{ why: HELD, texts: ['email', 'phone', 'siret'] }],
  'db/repositories/categories.ts': [{ why: CATEGORY, texts: ['c.description, c.kind, c.created_at', '(name, description, kind, created_at)', '@kind'] }],
  'db/repositories/categorise-compute.ts': [{ why: `${SALE}: the aggregates and the follow-ups read sales`, texts: ['s.kind', 's.status'] }],
  'db/repositories/categorise-sql.ts': [{ why: `${SALE}: the sale predicates (\${s}.kind, \${s}.status)`, texts: ['.kind IN', ".kind = '", '.status NOT IN', ".status = '"] }],
  'db/repositories/categorise.ts': [{ why: CATEGORY, texts: ['c.description, c.kind, c.created_at', '(name, description, kind, created_at)', '@kind', 'UPDATE categories SET kind = ? WHERE id = ?', ' WHERE c.kind = ? ORDER BY '] }],
  'db/repositories/consents.ts': [{ why: 'a consent\'s source, a column of consents', texts: ['state, source, proof', '@source'] }],
  'db/repositories/customers.ts': [
    { why: HELD, texts: ['WHERE kind = ? AND value = ?', 'email', 'siret'] },
    { why: 'the bound external source (import --source) byExternal compares external_source with', texts: ['@source'] },
  ],
  'db/repositories/dedupe-aliases.ts': [
    { why: `${HELD}; an alias's source (the external source of a merged external id)`, texts: ['(customer_id, merge_id, kind, value, source)', 'CAST(@kind AS TEXT)', 'kind = @kind', '@source', 'source', 'siret', 'email'] },
  ],
  'db/repositories/export-sql.ts': [{ why: HELD, texts: ['email', 'phone', 'siret'] }],
  'db/repositories/export.ts': [{ why: HELD, texts: ['SELECT DISTINCT kind FROM suppressions WHERE channel IN (@channel, \'all\') ORDER BY kind'] }],
  'db/repositories/import-activity.ts': [
    { why: 'the import\'s --source (external_source, and the source of the sales and interactions it writes)', texts: ['@source'] },
    { why: HELD, texts: ['a.kind = \'siret\'', 'a.kind = \'email\'', 'a.kind = \''] },
    { why: `${SALE}; ${INTERACTION}: the activity stage holds their columns`, texts: ['s2.kind = import_stage.kind', '(kind, number, seq)', '(customer_id, kind, direction, occurred_at)', 'x.kind = s.kind', 's.kind ||', 'unique per kind', 'x.status', 's.status', 'status = s.status', '(customer_id, kind, number, issued_on, due_on, amount_cents, currency, status, label, source, created_at, updated_at)', 'customer_id, kind, number, issued_on, due_on, amount_cents, currency, status, label,', '(customer_id, contact_id, kind, direction, occurred_at, summary, source, created_at)', 'customer_id, NULL, kind, direction,'] },
  ],
  'db/repositories/import-apply.ts': [
    { why: 'the source of a consent proof, a column of consent_proofs', texts: ['(import_run_id, source, proof)'] },
    { why: CATEGORY, texts: ['categories (name, kind, created_at) '] },
  ],
  'db/repositories/import-columns.ts': [{ why: `${SALE}; ${INTERACTION}: columns of the activity stage`, texts: ['kind', 'status'] }],
  'db/repositories/import-lookups.ts': [
    { why: `${HELD}; an alias's source`, texts: ['a.kind = \'', 'a.source', 'siret', 'email'] },
  ],
  'db/repositories/import.ts': [{ why: 'an import run\'s source (import --source), a column of import_runs', texts: ['what, source, started_at', '@source'] }],
  'db/repositories/interactions.ts': [{ why: `${INTERACTION}; an interaction's source`, texts: ['contact_id, kind, direction', 'summary, source, created_at', '@kind', '@source'] }],
  'db/repositories/rgpd-erasure.ts': [
    { why: HELD, texts: ['email', 'phone', 'siret', 'kind = \'email\'', 'kind = \'siret\'', "SELECT DISTINCT kind, value FROM customer_aliases WHERE customer_id = ? AND kind IN ('email', 'siret') ORDER BY kind, value"] },
  ],
  'db/repositories/rgpd-read.ts': [
    { why: `${CATEGORY}; an import run's source; ${HELD}`, texts: ['cat.kind', 'r.source', 'SELECT kind, channel, reason, created_at FROM suppressions WHERE hash IN (', ') ORDER BY created_at, kind'] },
  ],
  'db/repositories/rgpd-register.ts': [{ why: SALE, texts: ['s.kind', 's.status', 'SELECT count(*) AS n FROM sales WHERE kind IN (\'invoice\', \'credit\')'] }],
  'db/repositories/rgpd.ts': [{ why: `${SALE}, and a sale's source`, texts: ['s.kind', 's.status', 'label = NULL, source = NULL'] }],
  'db/repositories/sales.ts': [{ why: SALE, texts: ['(customer_id, kind, number, issued_on, due_on, amount_cents, currency, status, label, source, created_at, updated_at)', '@kind', '@status', '@source', 'SELECT * FROM sales WHERE kind = ? AND number = ?'] }],
  'db/repositories/suppressions.ts': [{ why: HELD, texts: ['email', 'phone', 'siret', '(hash, kind, channel, reason, created_at)', '@kind'] }],
  'db/rows.ts': [{ why: `${INTERACTION}; ${SALE}; ${CATEGORY}: Interaction['kind'], Sale['status']…`, texts: ['kind', 'status'] }],
  'io/read/vcard.ts': [{ why: 'RFC 6350 vocabulary: the ADR component country, the TEL type mobile', texts: ['ADR country', 'mobile'] }],
};
