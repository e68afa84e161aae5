import type { Ctx } from '../context.js';
import type { Contact, Customer } from '../model.js';
import { COMPANION_OF, FIELDS, type CatalogueEntry } from '../fields/catalogue.js';
import { RgpdErasureRepo, type HeldKind } from '../../db/repositories/rgpd-erasure.js';
import type { Identifiers } from './suppression.js';

export function erasureRepo(ctx: Ctx): RgpdErasureRepo {
  return ctx.store.extension('rgpd-erasure', (db) => new RgpdErasureRepo(db));
}

/** An identifier of the erased person that another customer, who stays, also holds (a family e-mail). */
export interface KeptIdentifier {
  kind: HeldKind;
  /** How many other customers hold it. */
  holders: number;
}

export interface PersonIdentifiers {
  /** What goes on the suppression list: the person's own identifiers, none that someone who stays holds. */
  ids: Identifiers[];
  /** The same as typed and normalised, to check that no copy is left in the file afterwards. */
  needles: string[];
  /** The SIRET when it is the person's alone (it stays on invoices kept for the accounts). */
  siret: string | null;
  /** Kept off the list: suppressing them would refuse the next import of the customer who stays. */
  kept: KeptIdentifier[];
}

export function uniqueNeedles(values: (string | null | undefined)[]): string[] {
  // Very short strings would match unrelated bytes; identifiers are never that short.
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.trim().length >= 5))];
}

type Value = { kind: HeldKind; norm: string; typed: (string | null)[] };

/** The order a person's identifiers are listed in: e-mails, then phones, then the SIRET (stable within a kind: catalogue order). */
const HELD_ORDER: readonly HeldKind[] = ['email', 'phone', 'siret'];
/** The catalogue's identifiers (heldAs), in that order, with the prop their normalised value is in. */
const HELD: readonly { entry: CatalogueEntry; kind: HeldKind; normProp: string }[] = FIELDS.flatMap((e) =>
  e.heldAs === undefined ? [] : [{ entry: e, kind: e.heldAs, normProp: COMPANION_OF.get(e.prop) ?? e.prop }],
).sort((a, b) => HELD_ORDER.indexOf(a.kind) - HELD_ORDER.indexOf(b.kind));
/** Those a contact person has too. */
const CONTACT_HELD = HELD.filter((h) => h.entry.contact === true);

function text(row: Customer | Contact, prop: string): string | null {
  const v = (row as unknown as Record<string, unknown>)[prop];
  return typeof v === 'string' ? v : null;
}

/** Each normalised identifier of the customer, their contacts and merged records, with the spellings it was typed in. */
function valuesOf(ctx: Ctx, c: Customer): Value[] {
  const values: Value[] = [];
  const add = (kind: HeldKind, norm: string | null, ...typed: (string | null)[]) => {
    if (norm) values.push({ kind, norm, typed });
  };
  // A field without a companion is its own normalised value (the SIRET): nothing else was typed.
  const addHeld = (row: Customer | Contact, h: (typeof HELD)[number]) =>
    h.normProp === h.entry.prop ? add(h.kind, text(row, h.normProp)) : add(h.kind, text(row, h.normProp), text(row, h.entry.prop));
  for (const h of HELD) addHeld(c, h);
  for (const ct of ctx.store.contacts.forCustomer(c.id)) for (const h of CONTACT_HELD) addHeld(ct, h);
  for (const a of erasureRepo(ctx).aliasesOf(c.id)) add(a.kind, a.value);
  return values;
}

/** Every spelling of every identifier, shared or not: what a purge indexes the merges by before it starts. */
export function allNeedlesOf(ctx: Ctx, c: Customer): string[] {
  return uniqueNeedles(valuesOf(ctx, c).flatMap((v) => [v.norm, ...v.typed]));
}

/**
 * The e-mails, phones and SIRETs of a customer, of their contact persons and
 * of the records dedupe merged into them — each split between the person's
 * own (suppressed, then looked for in the bytes) and those another customer
 * who stays also holds (neither: they are that customer's too).
 */
export function identifiersOf(ctx: Ctx, c: Customer): PersonIdentifiers {
  const repo = erasureRepo(ctx);
  const values = valuesOf(ctx, c);
  const ids: Identifiers[] = [];
  const needles: (string | null)[] = [];
  const kept = new Map<string, KeptIdentifier>();
  const held = new Map<string, number>();
  let siret: string | null = null;
  for (const v of values) {
    const key = `${v.kind}\u0000${v.norm}`;
    let holders = held.get(key);
    if (holders === undefined) {
      holders = repo.otherHolders(v.kind, v.norm, c.id);
      held.set(key, holders);
    }
    if (holders > 0) {
      kept.set(key, { kind: v.kind, holders });
      continue;
    }
    ids.push(v.kind === 'email' ? { emailNorm: v.norm } : v.kind === 'phone' ? { phoneE164: v.norm } : { siret: v.norm });
    if (v.kind === 'siret') {
      if (v.norm === c.siret) siret = v.norm;
      else needles.push(v.norm);
    } else needles.push(v.norm, ...v.typed);
  }
  return { ids, needles: uniqueNeedles(needles), siret, kept: [...kept.values()] };
}
