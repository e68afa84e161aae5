/**
 * One small customer file with quotes, invoices and a call, and what
 * `carnet categorise` must make of it, worked out by hand (today 2026-11-23,
 * default settings: former client after 24 months → last sale before
 * 2024-11-23; quotes chased after 15 days → issued on or before 2026-11-08;
 * invoices chased the day after their due date, 30 days' terms when none;
 * clients chased after 6 months without contact → nothing since before
 * 2026-05-23). Used by the unit test (through the core) and the e2e test
 * (through the binary).
 */
export const NOW = '2026-11-23T10:00:00.000Z';

export interface Person {
  key: string;
  first: string;
  last: string;
  postal: string;
  city: string;
  status?: string;
}

export const PEOPLE: Person[] = [
  { key: 'A', first: 'Anne', last: 'Prospect', postal: '69003', city: 'Lyon' },
  { key: 'B', first: 'Bruno', last: 'Devis', postal: '75011', city: 'Paris' },
  { key: 'C', first: 'Chloé', last: 'Récent', postal: '75002', city: 'Paris' },
  { key: 'D', first: 'Denis', last: 'Accepte', postal: '69002', city: 'Lyon' },
  { key: 'E', first: 'Emma', last: 'Fidèle', postal: '69001', city: 'Lyon' },
  { key: 'F', first: 'Franck', last: 'Retard', postal: '13001', city: 'Marseille' },
  { key: 'G', first: 'Gaëlle', last: 'Ancienne', postal: '33000', city: 'Bordeaux' },
  { key: 'H', first: 'Hugo', last: 'Silence', postal: '69007', city: 'Lyon' },
  { key: 'I', first: 'Inès', last: 'Appel', postal: '75002', city: 'Paris' },
  { key: 'J', first: 'Jules', last: 'Échéance', postal: '20000', city: 'Ajaccio' },
  { key: 'K', first: 'Karim', last: 'Annulé', postal: '59000', city: 'Lille' },
  { key: 'L', first: 'Léa', last: 'Lead', postal: '44000', city: 'Nantes', status: 'lead' },
  { key: 'M', first: 'Marc', last: 'Manuel', postal: '31000', city: 'Toulouse', status: 'client' },
  { key: 'N', first: 'Nina', last: 'Inactive', postal: '38000', city: 'Grenoble', status: 'inactive' },
  { key: 'O', first: 'Oscar', last: 'Archivé', postal: '69004', city: 'Lyon' },
  { key: 'P', first: 'Paula', last: 'Restreinte', postal: '69005', city: 'Lyon' },
];

export const emailOf = (key: string): string => `${key.toLowerCase()}@exemple.fr`;

export interface SaleSpec {
  who: string;
  kind: 'quote' | 'order' | 'invoice';
  number: string;
  amount: string;
  status: string;
  issued: string;
  due?: string;
}

export const SALES: SaleSpec[] = [
  { who: 'B', kind: 'quote', number: 'D-1', amount: '1200', status: 'sent', issued: '2026-10-01' },
  { who: 'C', kind: 'quote', number: 'D-2', amount: '700', status: 'sent', issued: '2026-11-15' },
  { who: 'C', kind: 'quote', number: 'D-3', amount: '900', status: 'refused', issued: '2026-01-10' },
  { who: 'D', kind: 'quote', number: 'D-4', amount: '5000', status: 'accepted', issued: '2026-11-01' },
  { who: 'E', kind: 'invoice', number: 'F-1', amount: '2000', status: 'paid', issued: '2025-01-10' },
  { who: 'E', kind: 'invoice', number: 'F-2', amount: '3000', status: 'paid', issued: '2025-09-10' },
  { who: 'E', kind: 'invoice', number: 'F-3', amount: '2500', status: 'paid', issued: '2026-09-01' },
  { who: 'F', kind: 'invoice', number: 'F-4', amount: '800', status: 'unpaid', issued: '2026-09-15', due: '2026-10-15' },
  { who: 'G', kind: 'invoice', number: 'F-5', amount: '12000', status: 'paid', issued: '2023-03-01' },
  { who: 'H', kind: 'invoice', number: 'F-6', amount: '1500', status: 'paid', issued: '2026-03-01' },
  { who: 'I', kind: 'invoice', number: 'F-7', amount: '900', status: 'paid', issued: '2026-02-01' },
  { who: 'J', kind: 'order', number: 'O-1', amount: '400', status: 'accepted', issued: '2026-06-01' },
  { who: 'J', kind: 'invoice', number: 'F-8', amount: '600', status: 'unpaid', issued: '2026-10-01' },
  { who: 'K', kind: 'invoice', number: 'F-9', amount: '3000', status: 'cancelled', issued: '2026-05-01' },
  { who: 'N', kind: 'invoice', number: 'F-10', amount: '300', status: 'paid', issued: '2026-10-01' },
  { who: 'O', kind: 'invoice', number: 'F-11', amount: '450', status: 'unpaid', issued: '2026-11-01', due: '2026-11-10' },
  { who: 'P', kind: 'invoice', number: 'F-12', amount: '650', status: 'unpaid', issued: '2026-10-01', due: '2026-10-15' },
];

/** Inès called on 1 October: her last contact, so she is not chased though her last invoice is from February. */
export const CALLS = [{ who: 'I', at: '2026-10-01T09:30:00Z' }];

export const ARCHIVED = ['O'];
export const RESTRICTED = ['P'];

export const RULES = [
  { name: 'Lyon', rule: 'department = "69"' },
  { name: 'Gros clients', rule: 'revenue >= 5000' },
  // Reads another rule category and an RFM segment: evaluated after both.
  { name: 'Lyonnais fidèles', rule: 'category "Lyon" and category "rfm:loyal"' },
  { name: 'Impayés', rule: 'unpaid_cents > 0' },
];

/** Anne is tagged "Gros clients" by hand: the rule never matches her, the tag stays. */
export const MANUAL_TAG = { who: 'A', category: 'Gros clients' };

export const EXPECTED = {
  status: {
    A: 'prospect', // nothing
    B: 'prospect', // a quote sent is not a sale
    C: 'prospect', // a recent quote and a refused one
    D: 'client', // an accepted quote
    E: 'client',
    F: 'client', // an unpaid invoice is still a sale
    G: 'former_client', // last sale 2023-03-01, before 2024-11-23
    H: 'client',
    I: 'client',
    J: 'client',
    K: 'prospect', // only a cancelled invoice
    L: 'lead', // a person's "lead" stays while the data says prospect
    M: 'client', // typed by a person, no sale in carnet: no evidence either way, kept
    N: 'inactive', // a person's choice, kept
    O: 'prospect', // archived: left alone
    P: 'prospect', // restricted: left alone
  } as Record<string, string>,
  rules: {
    Lyon: ['A', 'D', 'E', 'H'], // O and P are in Lyon but archived / restricted
    'Gros clients': ['A', 'E', 'G'], // E 7 500 €, G 12 000 €, A by hand
    'Lyonnais fidèles': ['E'],
    Impayés: ['F', 'J'], // O and P owe too, but are left out
  } as Record<string, string[]>,
  /**
   * Seven scored customers (a purchase, not archived or restricted):
   *        last purchase  F  revenue   R  F  M  FM  segment
   *   E    2026-09-01     3   7 500    3  5  4  5   loyal
   *   F    2026-09-15     1     800    3  1  2  2   about-to-sleep
   *   G    2023-03-01     1  12 000    1  1  5  3   at-risk
   *   H    2026-03-01     1   1 500    2  1  3  2   hibernating
   *   I    2026-02-01     1     900    1  1  3  2   hibernating
   *   J    2026-10-01     2     600    4  4  1  3   potential-loyalist
   *   N    2026-10-01     1     300    4  1  1  1   promising
   * R ranks G1 I2 H3 E4 F5 J6 N6 → 1 + ⌊5(rank−1)/7⌋ = 1 1 2 3 3 4 4;
   * F: five with 1 purchase share rank 1 (score 1), J rank 6 (4), E rank 7 (5);
   * M ranks N1 J2 F3 I4 H5 E6 G7 → 1 1 2 3 3 4 5; FM = ⌊(F+M+1)/2⌋.
   */
  rfm: { E: 'loyal', F: 'about-to-sleep', G: 'at-risk', H: 'hibernating', I: 'hibernating', J: 'potential-loyalist', N: 'promising' } as Record<string, string>,
  /** Oldest first: [who, reason, since, days]. */
  followups: [
    ['H', 'no_contact', '2026-03-01', 267],
    ['B', 'quote', '2026-10-01', 53],
    ['F', 'invoice', '2026-10-15', 39],
    ['J', 'invoice', '2026-10-31', 23], // no due date: 2026-10-01 + 30 days
  ] as [string, string, string, number][],
};
