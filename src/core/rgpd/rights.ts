import { isoNow, type Ctx } from '../context.js';
import { UsageError, ValidationError } from '../errors.js';
import { CHANNELS, type Channel, type ConsentState, type Customer } from '../model.js';
import { cleanText, parseDateTime } from '../normalise/index.js';
import { consentOn } from './consent-state.js';
import { addSuppressions } from './erase.js';
import { resolveCustomer, resolveSubject } from './subject.js';
import { suppressedChannels } from './suppression.js';

export type ChannelChoice = Channel | 'all';

const CHANNEL_WORDS: Readonly<Record<string, ChannelChoice>> = {
  email: 'email', 'e-mail': 'email', mail: 'email', courriel: 'email',
  sms: 'sms', texto: 'sms',
  phone: 'phone', tel: 'phone', telephone: 'phone', téléphone: 'phone', call: 'phone',
  post: 'post', courrier: 'post', letter: 'post',
  all: 'all', tout: 'all', tous: 'all',
};

export function parseChannel(raw: string | undefined, allowAll = true): ChannelChoice {
  const v = CHANNEL_WORDS[(raw ?? 'all').trim().toLowerCase()];
  if (v && (allowAll || v !== 'all')) return v;
  throw new UsageError(`--channel '${raw ?? ''}' is not one of ${CHANNELS.join(', ')}${allowAll ? ', all' : ''}`);
}

const channelsOf = (c: ChannelChoice): Channel[] => (c === 'all' ? [...CHANNELS] : [c]);

const idsOf = (c: Customer) => ({ emailNorm: c.emailNorm, phoneE164: c.phoneE164, mobileE164: c.mobileE164, siret: c.siret });

export interface OptoutResult {
  id: number;
  uid: string;
  channels: Channel[];
  /** Salted hashes recorded so that the opposition also stops the person in a purchased or re-imported file. */
  suppressed: number;
  /** Set when the REF was a contact person's e-mail: the opposition is theirs, not the company's. */
  contactId: number | null;
}

/**
 * Opposition to prospecting (RGPD art. 21, CPCE L34-5): absolute, free, and
 * it always wins over a consent. Recorded as consent rows 'opposed' and as
 * suppression hashes for the channel (or for all).
 */
export function optout(ctx: Ctx, ref: string, input: { channel?: string; source?: string; proof?: string }): OptoutResult {
  const choice = parseChannel(input.channel);
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const subject = resolveSubject(ctx, ref);
    const c = subject.customer;
    const channels = channelsOf(choice);
    if (subject.type === 'contact') {
      // A contact person objects for themselves: their identifiers are suppressed, the company's consents stay.
      const ct = subject.contact;
      const hashes = addSuppressions(ctx, [{ emailNorm: ct.emailNorm, phoneE164: ct.phoneE164 }], 'opposed', at, choice);
      ctx.store.audit.record({ at, action: 'rgpd.optout', subject: c.uid, actor: ctx.actor ?? null, details: { channels, contact_id: ct.id, suppressed: hashes.length } });
      return { id: c.id, uid: c.uid, channels, suppressed: hashes.length, contactId: ct.id };
    }
    for (const channel of channels) {
      ctx.store.consents.insert({
        customerId: c.id, channel, purpose: 'marketing', state: 'opposed',
        source: cleanText(input.source) ?? 'opposition', proof: cleanText(input.proof), recordedAt: at,
      });
    }
    const hashes = addSuppressions(ctx, [idsOf(c)], 'opposed', at, choice);
    ctx.store.audit.record({ at, action: 'rgpd.optout', subject: c.uid, actor: ctx.actor ?? null, details: { channels, suppressed: hashes.length } });
    return { id: c.id, uid: c.uid, channels, suppressed: hashes.length, contactId: null };
  });
}

export interface ConsentInput {
  channel: string;
  state: string;
  source: string;
  at?: string;
  proof?: string;
  purpose?: string;
}

export interface ConsentResult {
  id: number;
  uid: string;
  channels: Channel[];
  state: ConsentState;
  recordedAt: string;
  /** Channels where an opposition is on file: it still wins over this consent. */
  opposed: Channel[];
}

/** Records a consent with its source and proof (RGPD art. 7: the controller must be able to show it). */
export function recordConsent(ctx: Ctx, ref: string, input: ConsentInput): ConsentResult {
  const choice = parseChannel(input.channel);
  const state = input.state as ConsentState;
  if (!['granted', 'refused', 'withdrawn'].includes(state)) throw new UsageError('say --granted, --refused or --withdrawn');
  const source = cleanText(input.source);
  if (!source) throw new UsageError('--source is required: where and how the consent was collected', 'e.g. --source "formulaire site web"');
  const recordedAt = input.at ? parseDateTime(input.at, 'at') ?? isoNow(ctx) : isoNow(ctx);
  if (recordedAt > new Date(ctx.now().getTime() + 86_400_000).toISOString()) throw new ValidationError('at', `${input.at ?? ''} is in the future`);
  const purpose = cleanText(input.purpose) ?? 'marketing';
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const c = resolveCustomer(ctx, ref);
    const channels = channelsOf(choice);
    for (const channel of channels) {
      ctx.store.consents.insert({ customerId: c.id, channel, purpose, state, source, proof: cleanText(input.proof), recordedAt });
    }
    const consents = ctx.store.consents.forCustomer(c.id);
    const suppressed = suppressedChannels(ctx.store, idsOf(c));
    const opposed = channels.filter((ch) => consentOn(consents, suppressed, ch) === 'opposed');
    ctx.store.audit.record({ at, action: 'rgpd.consent', subject: c.uid, actor: ctx.actor ?? null, details: { channels, state, purpose } });
    return { id: c.id, uid: c.uid, channels, state, recordedAt, opposed };
  });
}

export const RESTRICTION_GROUNDS = ['accuracy', 'unlawful', 'claims', 'objection'] as const;

export interface RestrictResult {
  id: number;
  uid: string;
  restricted: boolean;
  /** false when the record was already in that state. */
  changed: boolean;
}

/**
 * Restriction of processing (RGPD art. 18): the record is kept, out of
 * exports, categorisation, dedupe merges and retention purges, until lifted.
 * Grounds: accuracy contested, unlawful processing, needed for legal claims, objection pending.
 */
export function setRestriction(ctx: Ctx, ref: string, on: boolean, ground?: string): RestrictResult {
  const g = ground?.trim().toLowerCase();
  if (g !== undefined && !(RESTRICTION_GROUNDS as readonly string[]).includes(g)) {
    throw new UsageError(`--ground '${ground}' is not one of ${RESTRICTION_GROUNDS.join(', ')}`);
  }
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const c = resolveCustomer(ctx, ref);
    const changed = (c.restrictedAt !== null) !== on;
    if (changed) {
      ctx.store.customers.setMarker(c.id, 'restricted_at', on ? at : null, at);
      ctx.store.audit.record({ at, action: on ? 'rgpd.restrict' : 'rgpd.unrestrict', subject: c.uid, actor: ctx.actor ?? null, details: g ? { ground: g } : {} });
    }
    return { id: c.id, uid: c.uid, restricted: on, changed };
  });
}
