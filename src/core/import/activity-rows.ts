import { ValidationError } from '../errors.js';
import type { InteractionKind, SaleKind, SaleStatus, What } from '../model.js';
import { cleanText, lookupKey, normaliseEmail, normaliseSiret, parseAmountCents, parseDate, parseDateTime } from '../normalise/index.js';
import { headerKey } from './targets.js';
import { KEY } from '../fields/catalogue.js';

/**
 * Sales (quotes, invoices…) and interaction logs imported from a file: the
 * columns they are read from, the French and English words of their
 * vocabularies, and one row → one staged record, or a reason to refuse it.
 * Rows find their customer by external id, SIRET or e-mail.
 */
export type ActivityWhat = Exclude<What, 'customers'>;

type ActivityField =
  | 'customerRef' | 'customerEmail' | 'customerSiret'
  | 'kind' | 'number' | 'issuedOn' | 'dueOn' | 'amount' | 'currency' | 'status' | 'label'
  | 'direction' | 'occurredAt' | 'summary';

const COMMON: Readonly<Partial<Record<ActivityField, readonly string[]>>> = {
  customerRef: ['Client', 'Réf client', 'Référence client', 'Code client', 'N° client', 'Numéro client', 'ID client', 'Client ID', 'Customer', 'Customer ID', 'External ID', 'rec_id'],
  customerEmail: ['E-mail', 'Email', 'Courriel', 'Mail', 'E-mail client', 'Email client', 'Customer email'],
  customerSiret: ['SIRET', 'SIREN', 'N° SIRET', 'SIRET client'],
};

const SALES: Readonly<Partial<Record<ActivityField, readonly string[]>>> = {
  ...COMMON,
  kind: ['Type', 'Type de document', 'Document', 'Nature', 'Kind', 'Pièce'],
  number: ['Numéro', 'N°', 'No', 'Numéro de facture', 'N° facture', 'N° de facture', 'N° devis', 'Numéro de pièce', 'N° pièce', 'Référence', 'Réf', 'Number', 'Invoice number', 'Document number'],
  issuedOn: ['Date', 'Date de facture', 'Date facture', 'Date du devis', 'Date d\'émission', 'Émise le', 'Émis le', 'Date de la pièce', 'Issued', 'Issued on', 'Invoice date'],
  dueOn: ['Échéance', 'Date d\'échéance', 'Date limite de paiement', 'À payer avant', 'Due', 'Due date', 'Due on'],
  amount: ['Montant TTC', 'Total TTC', 'TTC', 'Montant', 'Total', 'Amount', 'Total amount', 'Montant HT', 'Total HT', 'HT'],
  currency: ['Devise', 'Monnaie', 'Currency'],
  status: ['Statut', 'Status', 'État', 'Etat', 'Paiement', 'Payment status'],
  label: ['Libellé', 'Objet', 'Intitulé', 'Désignation', 'Description', 'Label', 'Subject'],
};

const INTERACTIONS: Readonly<Partial<Record<ActivityField, readonly string[]>>> = {
  ...COMMON,
  kind: ['Type', 'Canal', 'Moyen', 'Nature', 'Kind', 'Channel'],
  direction: ['Sens', 'Direction', 'Entrant/Sortant', 'In/Out'],
  occurredAt: ['Date', 'Date et heure', 'Date du contact', 'Le', 'Quand', 'When', 'Occurred at', 'Date/heure'],
  summary: ['Résumé', 'Note', 'Notes', 'Objet', 'Sujet', 'Commentaire', 'Compte rendu', 'Summary', 'Subject', 'Description'],
};

function table(def: Readonly<Partial<Record<ActivityField, readonly string[]>>>): Map<string, { field: ActivityField; rank: number }> {
  const m = new Map<string, { field: ActivityField; rank: number }>();
  let rank = 0;
  for (const [field, headers] of Object.entries(def) as [ActivityField, readonly string[]][]) {
    for (const h of headers) if (!m.has(headerKey(h))) m.set(headerKey(h), { field, rank: rank++ });
  }
  return m;
}
const TABLES: Readonly<Record<ActivityWhat, Map<string, { field: ActivityField; rank: number }>>> = { sales: table(SALES), interactions: table(INTERACTIONS) };

export interface ActivityPlan {
  what: ActivityWhat;
  headers: string[];
  /** Field → columns, best first. */
  columns: Partial<Record<ActivityField, number[]>>;
  /** Columns with no place (sales and interactions have no extra): reported, not stored. */
  unused: string[];
}

export function buildActivityPlan(what: ActivityWhat, rawHeaders: readonly string[], maps: readonly { column: string; target: string }[] = []): ActivityPlan {
  const headers = rawHeaders.map((h, i) => h.replace(/^\ufeff/, '').trim() || `column ${i + 1}`);
  const t = TABLES[what];
  const hits: { field: ActivityField; rank: number; column: number }[] = [];
  const unused: string[] = [];
  const explicit = new Map<number, ActivityField>();
  for (const m of maps) {
    const i = headers.findIndex((h) => h === m.column.trim() || headerKey(h) === headerKey(m.column));
    const field = t.get(headerKey(m.target))?.field ?? (Object.keys(what === 'sales' ? SALES : INTERACTIONS).find((k) => k.toLowerCase() === m.target.replace(/_/g, '').toLowerCase()) as ActivityField | undefined);
    if (i >= 0 && field) explicit.set(i, field);
  }
  headers.forEach((h, i) => {
    const field = explicit.get(i);
    if (field) return void hits.push({ field, rank: -1, column: i });
    const hit = t.get(headerKey(h));
    if (hit) hits.push({ ...hit, column: i });
    else if (!/^carnet_(line|field|reason)$/.test(h)) unused.push(h);
  });
  hits.sort((a, b) => a.rank - b.rank || a.column - b.column);
  const columns: Partial<Record<ActivityField, number[]>> = {};
  for (const h of hits) (columns[h.field] ??= []).push(h.column);
  return { what, headers, columns, unused };
}

const SALE_KINDS: Readonly<Record<string, SaleKind>> = {
  facture: 'invoice', fact: 'invoice', invoice: 'invoice', fa: 'invoice',
  devis: 'quote', quote: 'quote', estimate: 'quote', proposition: 'quote', 'proposition commerciale': 'quote', offre: 'quote', dv: 'quote',
  commande: 'order', 'bon de commande': 'order', bc: 'order', order: 'order', 'purchase order': 'order',
  avoir: 'credit', credit: 'credit', 'credit note': 'credit', 'note de credit': 'credit', 'facture d avoir': 'credit', av: 'credit',
};
const SALE_STATUSES: Readonly<Record<string, SaleStatus>> = {
  payee: 'paid', paye: 'paid', paid: 'paid', reglee: 'paid', regle: 'paid', acquittee: 'paid', encaissee: 'paid', soldee: 'paid',
  impayee: 'unpaid', impaye: 'unpaid', unpaid: 'unpaid', 'en retard': 'unpaid', 'a regler': 'unpaid', 'a payer': 'unpaid', due: 'unpaid', overdue: 'unpaid', 'en attente': 'unpaid', 'en attente de paiement': 'unpaid',
  envoye: 'sent', envoyee: 'sent', sent: 'sent', emis: 'sent', emise: 'sent', 'en cours': 'sent',
  accepte: 'accepted', acceptee: 'accepted', accepted: 'accepted', signe: 'accepted', signee: 'accepted', valide: 'accepted', validee: 'accepted',
  refuse: 'refused', refusee: 'refused', refused: 'refused', declined: 'refused', rejected: 'refused', perdu: 'refused',
  annule: 'cancelled', annulee: 'cancelled', cancelled: 'cancelled', canceled: 'cancelled',
  brouillon: 'draft', draft: 'draft',
};
/** A sale without a status in the file: what carnet sale add assumes. */
const DEFAULT_STATUS: Readonly<Record<SaleKind, SaleStatus>> = { quote: 'sent', order: 'accepted', invoice: 'unpaid', credit: 'paid' };
const INTERACTION_KINDS: Readonly<Record<string, InteractionKind>> = {
  appel: 'call', call: 'call', telephone: 'call', tel: 'call', phone: 'call', 'appel telephonique': 'call',
  email: 'email', 'e mail': 'email', mail: 'email', courriel: 'email',
  'rendez vous': 'meeting', rdv: 'meeting', reunion: 'meeting', meeting: 'meeting', visio: 'meeting', visioconference: 'meeting',
  mailing: 'mailing', emailing: 'mailing', campagne: 'mailing', newsletter: 'mailing', campaign: 'mailing',
  sms: 'sms', texto: 'sms', text: 'sms',
  note: 'note', memo: 'note',
  courrier: 'letter', lettre: 'letter', letter: 'letter', post: 'letter',
  visite: 'visit', visit: 'visit', passage: 'visit', 'visite en magasin': 'visit',
};
const DIRECTIONS: Readonly<Record<string, 'in' | 'out'>> = {
  in: 'in', entrant: 'in', entrante: 'in', recu: 'in', recue: 'in', incoming: 'in', inbound: 'in', entree: 'in', client: 'in',
  out: 'out', sortant: 'out', sortante: 'out', emis: 'out', emise: 'out', envoye: 'out', outgoing: 'out', outbound: 'out', sortie: 'out', nous: 'out',
};

function vocab<T>(map: Readonly<Record<string, T>>, raw: string, field: string, allowed: string): T {
  const v = map[lookupKey(raw)];
  if (v === undefined) throw new ValidationError(field, `'${raw.trim()}' is not a known ${field}`, `use one of: ${allowed}`);
  return v;
}

export type ActivityResult = { ok: true; values: (string | number | null)[] } | { ok: false; field: string; reason: string };


export function buildActivity(cells: readonly string[], plan: ActivityPlan, seq: number, line: number, now: string): ActivityResult {
  const get = (f: ActivityField): string | null => {
    for (const c of plan.columns[f] ?? []) {
      const v = cleanText(cells[c]);
      if (v !== null) return v;
    }
    return null;
  };
  try {
    let ref = get('customerRef');
    let siret = normaliseSiret(get('customerSiret'), KEY.siret);
    let email = normaliseEmail(get('customerEmail'))?.emailNorm ?? null;
    // A "Client" column may hold the customer's e-mail or SIRET rather than its reference.
    if (ref !== null && email === null && ref.includes('@')) {
      email = normaliseEmail(ref)?.emailNorm ?? null;
      ref = null;
    } else if (ref !== null && siret === null && /^[\d\s.]{9,17}$/.test(ref)) {
      try {
        siret = normaliseSiret(ref, KEY.siret);
      } catch {
        // Not a SIRET: an external id made of digits.
      }
    }
    if (ref === null && siret === null && email === null) {
      throw new ValidationError('customer', 'no customer reference (external id, SIRET or e-mail) in this row', 'add a column Client (the customer\'s Réf), SIRET or E-mail');
    }
    const head = [seq, line, ref, siret, email];
    if (plan.what === 'sales') {
      const kindRaw = get('kind');
      const kind: SaleKind = kindRaw === null ? 'invoice' : vocab(SALE_KINDS, kindRaw, 'kind', 'facture, devis, commande, avoir');
      const statusRaw = get('status');
      const status: SaleStatus = statusRaw === null ? DEFAULT_STATUS[kind] : vocab(SALE_STATUSES, statusRaw, 'status', 'payée, impayée, envoyé, accepté, refusé, annulé, brouillon');
      const amount = get('amount');
      if (amount === null) throw new ValidationError('amount', 'no amount', 'add a Montant TTC column');
      const amountCents = parseAmountCents(amount, 'amount');
      const issuedOn = parseDate(get('issuedOn'), 'issued_on') ?? now.slice(0, 10);
      const dueOn = parseDate(get('dueOn'), 'due_on');
      if (dueOn !== null && dueOn < issuedOn) throw new ValidationError('due_on', `the due date ${dueOn} is before the issue date ${issuedOn}`);
      const currency = (get('currency') ?? 'EUR').replace('€', 'EUR').toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) throw new ValidationError('currency', `'${currency}' is not an ISO 4217 code`, 'e.g. EUR');
      return { ok: true, values: [...head, kind, get('number'), issuedOn, dueOn, amountCents, currency, status, get('label')] };
    }
    const kindRaw = get('kind');
    const kind: InteractionKind = kindRaw === null ? 'note' : vocab(INTERACTION_KINDS, kindRaw, 'kind', 'appel, email, rendez-vous, mailing, sms, note, courrier, visite');
    const dirRaw = get('direction');
    // Without a direction, "we contacted them": it does not move the RGPD clock (last_contact_at).
    const direction = dirRaw === null ? 'out' : vocab(DIRECTIONS, dirRaw, 'direction', 'entrant (in) or sortant (out)');
    const occurredAt = parseDateTime(get('occurredAt'), 'occurred_at');
    if (occurredAt === null) throw new ValidationError('occurred_at', 'no date', 'add a Date column');
    if (Date.parse(occurredAt) > Date.parse(now) + 86_400_000) throw new ValidationError('occurred_at', `${occurredAt.slice(0, 16)} is in the future`, 'give the date the contact took place');
    return { ok: true, values: [...head, kind, direction, occurredAt, get('summary')] };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { ok: false, field: err.field, reason: `${err.message.replace(/^[a-z_0-9]+: /, '')}${err.hint ? ` — ${err.hint}` : ''}` };
  }
}
