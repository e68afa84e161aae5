import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../db/store.js';
import type { SuppressionKind } from '../../db/repositories/suppressions.js';

const SALT_KEY = 'suppression_salt';

/** The per-file salt, created on first use: the hashes mean nothing outside this database. */
export function suppressionSalt(store: Store): string {
  let salt = store.settings.get(SALT_KEY);
  if (!salt) {
    salt = randomBytes(32).toString('hex');
    store.settings.set(SALT_KEY, salt);
  }
  return salt;
}

export interface Identifiers {
  emailNorm?: string | null;
  phoneE164?: string | null;
  mobileE164?: string | null;
  siret?: string | null;
}

export interface IdentifierHash {
  kind: SuppressionKind;
  hash: string;
}

export function hashIdentifier(salt: string, kind: SuppressionKind, value: string): string {
  return createHash('sha256').update(`${salt}\u0000${kind}\u0000${value}`).digest('hex');
}

/** Salted hashes of a person's normalised identifiers (e-mail, phones as E.164, SIRET). */
export function identifierHashes(salt: string, ids: Identifiers): IdentifierHash[] {
  const out: IdentifierHash[] = [];
  if (ids.emailNorm) out.push({ kind: 'email', hash: hashIdentifier(salt, 'email', ids.emailNorm) });
  for (const p of new Set([ids.phoneE164, ids.mobileE164].filter((x): x is string => Boolean(x)))) {
    out.push({ kind: 'phone', hash: hashIdentifier(salt, 'phone', p) });
  }
  if (ids.siret) out.push({ kind: 'siret', hash: hashIdentifier(salt, 'siret', ids.siret) });
  return out;
}

/**
 * A checker for imports: a row whose e-mail, phone or SIRET belongs to an
 * erased or opposed person is not imported. Built once per run; free when the
 * table is empty.
 */
export function suppressionChecker(store: Store): (ids: Identifiers) => { suppressed: boolean; reason: string | null } {
  if (store.suppressions.count() === 0) return () => ({ suppressed: false, reason: null });
  const salt = suppressionSalt(store);
  return (ids) => {
    for (const h of identifierHashes(salt, ids)) {
      const hits = store.suppressions.lookup(h.hash);
      const hit = hits.find((x) => x.reason === 'erased') ?? hits[0];
      if (hit) return { suppressed: true, reason: `${h.kind} of a person who was ${hit.reason === 'erased' ? 'erased' : 'opposed'}` };
    }
    return { suppressed: false, reason: null };
  };
}

/**
 * The channels an opposition or an erasure closes for these identifiers
 * ('all' for every channel). Export uses it beside the consent rows: an
 * opposition recorded on another record of the same person still wins.
 */
export function suppressedChannels(store: Store, ids: Identifiers): Set<string> {
  const out = new Set<string>();
  if (store.suppressions.count() === 0) return out;
  for (const h of identifierHashes(suppressionSalt(store), ids)) {
    for (const hit of store.suppressions.lookup(h.hash)) out.add(hit.reason === 'erased' ? 'all' : hit.channel);
  }
  return out;
}
