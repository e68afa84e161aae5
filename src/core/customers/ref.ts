import type { Ctx } from '../context.js';
import { AppError, ExitCode, NotFoundError } from '../errors.js';
import type { Customer } from '../model.js';
import { normaliseEmail, normalisePhone, normaliseSiret } from '../normalise/index.js';
import { displayName } from './display.js';
import { KEY } from '../fields/catalogue.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/**
 * Every customer a REF may mean: an id, a uid, an e-mail (the file's or one
 * of its contacts'), a phone, a SIRET or SIREN — and, when none of these
 * finds anyone, an external id (the Réf of an imported file), or the e-mail,
 * SIRET or external id of a record that dedupe merged into another: the
 * person who writes from an old address to exercise a right is the survivor.
 */
export function findByRef(ctx: Ctx, ref: string, opts: { includeArchived?: boolean } = {}): Customer[] {
  const repo = ctx.store.customers;
  const text = ref.trim();
  const found = new Map<number, Customer>();
  const add = (cs: (Customer | undefined)[]) => cs.forEach((c) => c && found.set(c.id, c));

  if (/^\d{1,8}$/.test(text)) add([repo.get(Number(text))]);
  if (UUID.test(text)) add([repo.getByUid(text.toLowerCase())]);
  const isEmail = text.includes('@');
  // Normalised once: the same keys are looked up in customers first, then in merge aliases.
  const email = isEmail ? (attempt(() => normaliseEmail(text))?.emailNorm ?? null) : null;
  const siret = !isEmail && /^[\d\s.]{9,20}$/.test(text) ? attempt(() => normaliseSiret(text)) : null;
  if (email) {
    add(repo.findByEmailNorm(email));
    add(ctx.store.contacts.findByEmailNorm(email).map((ct) => repo.get(ct.customerId)));
  } else if (!isEmail && found.size === 0) {
    if (siret) add(repo.findBySiret(siret));
    const phone = /^[+\d][\d\s.()/-]{5,}$/.test(text) ? attempt(() => normalisePhone(text)) : null;
    if (phone) add(repo.findByPhone(phone.e164));
  }
  if (found.size === 0 && text !== '') {
    if (email) add(repo.findByAlias('email', email));
    if (siret !== null && siret.length === 14) add(repo.findByAlias('siret', siret));
    if (!isEmail) {
      add(repo.findByExternalIdAnySource(text));
      add(repo.findByAlias(KEY.externalId, text));
    }
  }
  let list = [...found.values()];
  if (!opts.includeArchived && list.some((c) => !c.archivedAt)) list = list.filter((c) => !c.archivedAt);
  return list.sort((a, b) => a.id - b.id);
}

/** Exactly one customer, or exit 4 with what was found. */
export function resolveRef(ctx: Ctx, ref: string, opts: { includeArchived?: boolean } = {}): Customer {
  const list = findByRef(ctx, ref, { includeArchived: opts.includeArchived ?? true });
  const [first] = list;
  if (!first) {
    throw new NotFoundError(`no customer matches '${ref}'`, 'give an id, a uid, an e-mail, a phone, a SIRET or an external id (Réf); `carnet search TEXT` finds by name');
  }
  if (list.length > 1) {
    const candidates = list.map((c) => ({ id: c.id, uid: c.uid, name: displayName(c), email: c.email, city: c.city }));
    throw new AppError(
      `'${ref}' matches ${list.length} customers:\n` + candidates.map((c) => `  ${c.id}\t${c.name}\t${c.email ?? ''}\t${c.city ?? ''}`).join('\n'),
      { exitCode: ExitCode.notFound, hint: 'use the id or the uid of the one you mean', details: { candidates } },
    );
  }
  return first;
}
