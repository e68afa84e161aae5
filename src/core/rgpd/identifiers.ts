import type { Ctx } from '../context.js';
import type { Customer } from '../model.js';
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

/** Each normalised identifier of the customer, their contacts and merged records, with the spellings it was typed in. */
function valuesOf(ctx: Ctx, c: Customer): Value[] {
  const values: Value[] = [];
  const add = (kind: HeldKind, norm: string | null, ...typed: (string | null)[]) => {
    if (norm) values.push({ kind, norm, typed });
  };
  add('email', c.emailNorm, c.email);
  add('phone', c.phoneE164, c.phone);
  add('phone', c.mobileE164, c.mobile);
  add('siret', c.siret);
  for (const ct of ctx.store.contacts.forCustomer(c.id)) {
    add('email', ct.emailNorm, ct.email);
    add('phone', ct.phoneE164, ct.phone);
  }
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
