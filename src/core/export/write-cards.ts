import { vcard } from '../../io/vcard.js';
import type { Sink } from '../../io/write-sink.js';
import type { Gate } from './gate.js';
import { contactCard, customerCard, isNamedContact, type ExtraChannels, type Get } from './vcard-cards.js';
import { CHUNK } from './write-table.js';
import { KEY } from '../fields/catalogue.js';
import type { CustomFieldDef } from '../fields/custom.js';

export interface CardProgress {
  exported: number;
  contactCards: number;
}

/**
 * vCard: the rows come one per contact (customer LEFT JOIN contacts), so a
 * customer's rows are consecutive; they are gathered, then written as the
 * customer's card followed by one card per named contact.
 */
export async function writeCards(
  sources: readonly string[],
  rows: IterableIterator<unknown[]>,
  gate: Gate,
  sink: Sink,
  progress: CardProgress,
  own: readonly CustomFieldDef[] = [],
): Promise<void> {
  const index = new Map(sources.map((s, i) => [s, i]));
  const getter = (row: readonly unknown[]): Get => (key) => {
    const i = index.get(key);
    if (i === undefined) throw new Error(`vCard: no source ${key}`);
    return row[i];
  };
  const idAt = index.get('id') ?? 0;
  const contactIdAt = index.get('ct.id') ?? 0;

  let buf = '';
  let current: unknown = undefined;
  let admitted = false;
  let head: Get | null = null;
  let extra: ExtraChannels = { emails: [], phones: [] };
  let contacts: Get[] = [];

  const flush = (): void => {
    if (head === null) return;
    buf += vcard(customerCard(head, extra, own));
    for (const c of contacts) buf += vcard(contactCard(c));
    progress.exported++;
    progress.contactCards += contacts.length;
    head = null;
  };

  for (const row of rows) {
    if (row[idAt] !== current) {
      flush();
      if (buf.length >= CHUNK) {
        const wait = sink.write(buf);
        buf = '';
        if (wait) await wait;
        if (sink.broken) return;
      }
      current = row[idAt];
      admitted = gate.admit(row);
      if (!admitted) continue;
      head = getter(row);
      extra = { emails: [], phones: [] };
      contacts = [];
    } else if (!admitted || !gate.admit(row, false)) continue;
    if (row[contactIdAt] === null) continue;
    const get = getter(row);
    if (isNamedContact(get)) contacts.push(get);
    else {
      const email = get(`ct.${KEY.email}`);
      if (typeof email === 'string' && email !== '') extra.emails.push(email);
      if (get(`ct.${KEY.phoneE164}`) !== null || get(`ct.${KEY.phone}`) !== null) extra.phones.push({ e164: get(`ct.${KEY.phoneE164}`), display: get(`ct.${KEY.phone}`) });
    }
  }
  flush();
  const wait = sink.write(buf);
  if (wait) await wait;
}
