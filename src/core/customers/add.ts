import { isoNow, type Ctx } from '../context.js';
import type { Customer, CustomerFields, CustomerInput } from '../model.js';
import { normaliseCustomer, normalisePartial } from '../normalise/index.js';
import { AppError, ExitCode, ValidationError } from '../errors.js';
import { displayName } from './display.js';
import { findByRef, resolveRef } from './ref.js';
import { CUSTOMER_FIELD_COLUMNS, CUSTOMER_FIELD_KEYS } from '../../db/rows.js';
import { customFields, readCustomSets, writeCustomSets } from '../fields/manage.js';
import { KEY } from '../fields/catalogue.js';

/** The country assumed for addresses and phones written without one (setting default_country, FR). */
export function defaultCountry(ctx: Ctx): string {
  return ctx.store.settings.get('default_country') ?? 'FR';
}

export interface AddResult {
  customer: Customer;
  /** Files that already share the e-mail, phone or SIRET: a hint for dedupe, not a refusal. */
  similar: { id: number; name: string }[];
}

export function addCustomer(ctx: Ctx, input: CustomerInput, sets: readonly string[] = []): AddResult {
  const fields = normaliseCustomer(input, { defaultCountry: defaultCountry(ctx) });
  const own = readCustomSets(customFields(ctx), sets.map(pairOf));
  if (own.other.length > 0) throw unknownField(own.other[0]?.name ?? '');
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const similar = new Map<number, string>();
    for (const key of [fields.emailNorm, fields.siret, fields.phoneE164]) {
      if (!key) continue;
      for (const c of findByRef(ctx, key)) similar.set(c.id, displayName(c));
    }
    const uid = ctx.store.newUid();
    const id = ctx.store.customers.insert(fields, { uid, createdAt: at, updatedAt: at });
    writeCustomSets(ctx, id, {}, own.values, at);
    ctx.store.audit.record({ at, action: 'customer.add', subject: uid, actor: ctx.actor ?? null, details: { source: fields.source ?? 'manual' } });
    const customer = ctx.store.customers.get(id);
    if (!customer) throw new AppError('the new customer could not be read back');
    return { customer, similar: [...similar].map(([id, name]) => ({ id, name })) };
  });
}

/** Field names a user may --set, in snake_case (as shown by show/list) or camelCase. */
const SETTABLE: Record<string, keyof CustomerFields> = Object.fromEntries(
  CUSTOMER_FIELD_KEYS.filter((k) => !['emailNorm', 'phoneE164', 'mobileE164', 'extra'].includes(k)).flatMap((k) => [
    [CUSTOMER_FIELD_COLUMNS[k], k],
    [k, k],
  ]),
);

const DERIVED = new Set<keyof CustomerFields>(['emailNorm', 'phoneE164', 'mobileE164']);

/** The fields a person changed, by column name; derived ones (the normalised e-mail…) follow their source. */
function reported(keys: (keyof CustomerFields)[]): string[] {
  return keys.filter((k) => !DERIVED.has(k)).map((k) => CUSTOMER_FIELD_COLUMNS[k]);
}

function pairOf(a: string): { name: string; value: string } {
  const eq = a.indexOf('=');
  if (eq <= 0) throw new AppError(`--set '${a}' is not field=value`, { exitCode: ExitCode.usage, hint: 'for example --set city=Lyon' });
  return { name: a.slice(0, eq).trim(), value: a.slice(eq + 1) };
}

function unknownField(name: string): AppError {
  return new AppError(`unknown field '${name}'`, {
    exitCode: ExitCode.usage,
    hint: `fields: ${Object.keys(SETTABLE).filter((k) => k.includes('_') || !/[A-Z]/.test(k)).join(', ')}, extra.<name>, or a field of your own (carnet field list)`,
  });
}

export interface EditResult {
  customer: Customer;
  changed: string[];
}

/**
 * Rectification (RGPD art. 16): `field=value` pairs, an empty value clears
 * the field; `extra.key=value` edits an imported column. Audited with the
 * names of the fields changed, never their values.
 */
export function editCustomer(ctx: Ctx, ref: string, assignments: string[]): EditResult {
  const input: CustomerInput = {};
  const extraEdits: Record<string, string | null> = {};
  const ownPairs: { name: string; value: string }[] = [];
  for (const a of assignments) {
    const { name, value } = pairOf(a);
    if (name.startsWith('extra.') && name.length > 6) {
      extraEdits[name.slice(6)] = value.trim() === '' ? null : value;
      continue;
    }
    const key = SETTABLE[name];
    if (!key) {
      ownPairs.push({ name, value });
      continue;
    }
    (input as Record<string, string>)[key] = value;
  }
  const own = readCustomSets(customFields(ctx), ownPairs);
  if (own.other.length > 0) throw unknownField(own.other[0]?.name ?? '');
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const current = resolveRef(ctx, ref);
    const patch = normalisePartial(input, { defaultCountry: defaultCountry(ctx), country: current.country });
    if (Object.keys(extraEdits).length > 0) {
      const extra = { ...current.extra };
      for (const [k, v] of Object.entries(extraEdits)) {
        if (v === null) delete extra[k];
        else extra[k] = v;
      }
      patch.extra = extra;
    }
    const changed = (Object.keys(patch) as (keyof CustomerFields)[]).filter(
      (k) => JSON.stringify(patch[k] ?? null) !== JSON.stringify(current[k] ?? null),
    );
    const next = { ...current, ...patch };
    if (!next.lastName && !next.firstName && !next.companyName && !next.emailNorm && !next.phoneE164 && !next.mobileE164) {
      throw new ValidationError(KEY.lastName, 'a customer needs a name, a company name, an e-mail or a phone');
    }
    if (changed.length > 0) {
      const only: Partial<CustomerFields> = {};
      for (const k of changed) (only as Record<string, unknown>)[k] = patch[k];
      ctx.store.customers.update(current.id, only, at);
      ctx.store.audit.record({
        at,
        action: 'customer.rectify',
        subject: current.uid,
        actor: ctx.actor ?? null,
        details: { fields: reported(changed) },
      });
    }
    const ownChanged = writeCustomSets(ctx, current.id, current.custom, own.values, at);
    if (ownChanged.length > 0) {
      ctx.store.audit.record({ at, action: 'customer.rectify', subject: current.uid, actor: ctx.actor ?? null, details: { fields: ownChanged } });
    }
    const customer = ctx.store.customers.get(current.id) ?? current;
    return { customer, changed: [...reported(changed), ...ownChanged] };
  });
}
