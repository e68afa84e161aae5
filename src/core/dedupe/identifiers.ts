/**
 * Identifiers of the user's own: a customer number from another system, a
 * membership number, a VAT number. Declared once (`carnet dedupe identifier
 * add "N° adhérent"`), kept in settings; when two records both have one,
 * equal values are strong evidence that they are one customer and different
 * values strong evidence that they are two (a fixed weight, not estimated:
 * the user told us what the column means).
 *
 * A declared name is a built-in field (the external id, the VAT number) or a key of
 * `extra` (an imported column carnet has no field for). Every value is read
 * through identifierValue(), the one place to point at custom fields.
 */
import { isoNow, type Ctx } from '../context.js';
import { NotFoundError, UsageError } from '../errors.js';
import { fold } from '../normalise/text.js';
import { KEY } from '../fields/catalogue.js';

const SETTING = 'dedupe.identifiers';

/** Built-in fields that can be declared, by the names a person types. */
const BUILTIN: Readonly<Record<string, IdentifierField>> = {
  [KEY.externalId]: KEY.externalId,
  externalid: KEY.externalId,
  ref: KEY.externalId,
  [KEY.vatNumber]: KEY.vatNumber,
  vat: KEY.vatNumber,
  tva: KEY.vatNumber,
};
export type IdentifierField = typeof KEY.externalId | typeof KEY.vatNumber;

export interface IdentifierDecl {
  /** As the user declared it (shown by list). */
  name: string;
  /** Built-in field, or null for a key of extra. */
  field: IdentifierField | null;
}

/** What identifierValue reads from: a customer's built-in identifier columns and its extra. */
export interface IdentifierSource {
  column: (f: IdentifierField) => string | null;
  extra: Readonly<Record<string, unknown>>;
}

function declOf(name: string): IdentifierDecl {
  const key = fold(name).replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return { name, field: BUILTIN[key] ?? BUILTIN[key.replace(/_/g, '')] ?? null };
}

const extraKey = (s: string): string => fold(s).replace(/[^a-z0-9]+/g, '');

/**
 * The value of a declared identifier for one customer, '' when it has none;
 * compared without case, accents, spaces or punctuation ("FR 12 345" = "fr12345").
 * An extra key matches whatever its case and punctuation ("N° adhérent" = "n adherent").
 */
export function identifierValue(decl: IdentifierDecl, src: IdentifierSource): string {
  let raw: unknown;
  if (decl.field) raw = src.column(decl.field);
  else {
    raw = src.extra[decl.name];
    if (raw === undefined) {
      const want = extraKey(decl.name);
      for (const [k, v] of Object.entries(src.extra)) if (extraKey(k) === want) raw = v;
    }
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') return '';
  return fold(String(raw)).replace(/[^a-z0-9]+/g, '');
}

export function listIdentifiers(ctx: Ctx): IdentifierDecl[] {
  const raw = ctx.store.settings.get(SETTING);
  if (!raw) return [];
  try {
    const names = JSON.parse(raw) as unknown;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string').map(declOf) : [];
  } catch {
    return [];
  }
}

function save(ctx: Ctx, list: IdentifierDecl[], action: string, name: string): void {
  ctx.store.settings.set(SETTING, JSON.stringify(list.map((d) => d.name)));
  ctx.store.audit.record({ at: isoNow(ctx), action, actor: ctx.actor ?? null, details: { identifier: name } });
}

const same = (a: string, b: string): boolean => extraKey(a) === extraKey(b);

export function addIdentifier(ctx: Ctx, name: string): IdentifierDecl {
  const trimmed = name.trim();
  if (trimmed === '' || extraKey(trimmed) === '') throw new UsageError('an identifier needs a name', 'for example carnet dedupe identifier add "N° adhérent"');
  const list = listIdentifiers(ctx);
  const existing = list.find((d) => same(d.name, trimmed));
  if (existing) return existing;
  const decl = declOf(trimmed);
  save(ctx, [...list, decl], 'dedupe.identifier.add', trimmed);
  return decl;
}

export function removeIdentifier(ctx: Ctx, name: string): IdentifierDecl {
  const list = listIdentifiers(ctx);
  const found = list.find((d) => same(d.name, name));
  if (!found) throw new NotFoundError(`'${name}' is not a declared identifier`, 'carnet dedupe identifier list shows them');
  save(ctx, list.filter((d) => d !== found), 'dedupe.identifier.remove', found.name);
  return found;
}
