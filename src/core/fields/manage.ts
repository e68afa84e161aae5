import { isoNow, type Ctx } from '../context.js';
import { NotFoundError, UsageError, ValidationError } from '../errors.js';
import { lookupField } from '../filter/fields.js';
import { lookupKey } from '../normalise/index.js';
import { CustomFieldsRepo } from '../../db/repositories/custom-fields.js';
import type { CustomFilterField } from '../filter/index.js';
import { customKey, customText, CUSTOM_TYPES, filterTypeOf, OWN_FIELDS_COLUMN, readCustomValue, type CustomFieldDef, type CustomType, type CustomValue } from './custom.js';

/** The repository of custom fields of this store. */
export function customRepo(ctx: Ctx): CustomFieldsRepo {
  return ctx.store.extension('custom-fields', (db) => new CustomFieldsRepo(db));
}

/** The fields of the user's own, in the order they were declared. */
export function customFields(ctx: Ctx): CustomFieldDef[] {
  return customRepo(ctx).list();
}

/** The fields of the user's own as the filter language knows them. */
export function customFilterFields(ctx: Ctx): CustomFilterField[] {
  return customFields(ctx).map((d) => ({ key: d.key, type: filterTypeOf(d.type), bool: d.type === 'bool' }));
}

/** A custom field by its key or its name (accent- and case-insensitive), or a NotFoundError. */
export function findCustomField(defs: readonly CustomFieldDef[], ref: string): CustomFieldDef {
  const k = customKey(ref);
  const hit = defs.find((d) => d.key === k);
  if (!hit) throw new NotFoundError(`no field of your own is called '${ref}'`, `carnet field list shows them${defs.length === 0 ? ' (there are none yet)' : ''}`);
  return hit;
}

export interface NotAdopted {
  id: number;
  value: string;
  reason: string;
}

export interface FieldAddResult {
  field: CustomFieldDef;
  adopted: number;
  notAdopted: NotAdopted[];
}

/** Keys a customer's record already uses besides the filter's fields (show --json, access). */
const RESERVED: ReadonlySet<string> = new Set(['extra', OWN_FIELDS_COLUMN, 'contacts', 'sales', 'interactions', 'consents', 'company', 'address', 'siren']);

function checkName(defs: readonly CustomFieldDef[], name: string, except?: string): string {
  const key = customKey(name);
  if (key === '') throw new UsageError(`'${name}' makes no field key (it needs a letter or a digit)`, 'e.g. carnet field add "Potentiel" --type number');
  if (RESERVED.has(key) || key.startsWith('extra_') || lookupField(key) !== undefined) {
    throw new UsageError(`'${key}' is already a built-in field or part of a customer's record`, 'choose another name');
  }
  if (defs.some((d) => d.key === key && d.key !== except)) throw new UsageError(`a field with the key '${key}' already exists`, 'carnet field list shows them');
  return key;
}

/**
 * `carnet field add`: declares a field and adopts the values already kept in
 * extra under the same column name (accent- and case-insensitive); the ones
 * that do not fit the type stay in extra and are reported.
 */
export function addCustomField(ctx: Ctx, input: { name: string; type: string; choices?: readonly string[] }): FieldAddResult {
  const repo = customRepo(ctx);
  const name = input.name.trim();
  if (!CUSTOM_TYPES.includes(input.type as CustomType)) throw new UsageError(`unknown field type '${input.type}'`, `use one of ${CUSTOM_TYPES.join(', ')}`);
  const type = input.type as CustomType;
  const choices = cleanChoices(input.choices ?? []);
  if (type === 'choice' && choices.length === 0) throw new UsageError('a choice field needs its choices', 'e.g. --choices "Salon,Site web,Bouche à oreille"');
  if (type !== 'choice' && choices.length > 0) throw new UsageError('--choices is for --type choice', 'drop --choices, or use --type choice');
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const defs = repo.list();
    const key = checkName(defs, name);
    const field: CustomFieldDef = { key, name, type, choices };
    repo.add(field, at);
    const { adopted, notAdopted } = adoptFromExtra(repo, field, at);
    ctx.store.audit.record({ at, action: 'field.add', subject: null, actor: ctx.actor ?? null, details: { key, type, adopted, not_adopted: notAdopted.length } });
    return { field, adopted, notAdopted };
  });
}

/** The values kept in extra under the field's name (accents and case aside) that now fit it move into it; the others stay. */
function adoptFromExtra(repo: CustomFieldsRepo, field: CustomFieldDef, at: string): { adopted: number; notAdopted: NotAdopted[] } {
  let adopted = 0;
  const notAdopted: NotAdopted[] = [];
  for (const extraName of repo.extraKeys().filter((k) => customKey(k) === field.key)) {
    for (const { id, value } of repo.extraValues(extraName)) {
      try {
        const v = readCustomValue(field, value);
        if (v === null) continue;
        repo.adopt(id, extraName, field.key, v, at);
        adopted++;
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        notAdopted.push({ id, value, reason: err.message.replace(/^[a-z_0-9]+: /, '') });
      }
    }
  }
  return { adopted, notAdopted };
}

/**
 * `carnet field choices`: a choice field's list of values, replaced. A value
 * in use keeps its customers under the new list's spelling (accents and case
 * aside: "site WEB" → "Site Web"); a list that would leave a value in use out
 * is refused, naming it. Values kept in extra under the field's name that the
 * new list admits (an import's "Radio" before Radio was a choice) are adopted.
 */
export function setCustomChoices(ctx: Ctx, ref: string, list: readonly string[]): FieldAddResult & { respelled: number } {
  const repo = customRepo(ctx);
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const old = findCustomField(repo.list(), ref);
    if (old.type !== 'choice') throw new UsageError(`'${old.name}' is a ${old.type} field, not a choice field`, 'carnet field list shows the types');
    const choices = cleanChoices(list);
    if (choices.length === 0) throw new UsageError('a choice field needs its choices', 'e.g. carnet field choices canal "Salon,Site web,Radio"');
    const field: CustomFieldDef = { ...old, choices };
    const dropped = new Map<string, number>();
    const respell: { id: number; value: string }[] = [];
    for (const { id, value } of repo.customValues(old.key)) {
      // Read again as an import would read it: the new list's spelling, or not one of them.
      try {
        const hit = readCustomValue(field, String(value));
        if (hit !== null && hit !== value) respell.push({ id, value: String(hit) });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        dropped.set(String(value), (dropped.get(String(value)) ?? 0) + 1);
      }
    }
    if (dropped.size > 0) {
      const used = [...dropped].map(([v, n]) => `'${v}' (${n} customer${n === 1 ? '' : 's'})`).join(', ');
      throw new UsageError(`the new list leaves out values in use: ${used}`, 'keep them in the list, or change those customers first (carnet list --where ...)');
    }
    repo.setChoices(old.key, choices);
    for (const r of respell) repo.setValues(r.id, { [old.key]: r.value }, at);
    const { adopted, notAdopted } = adoptFromExtra(repo, field, at);
    ctx.store.audit.record({ at, action: 'field.choices', subject: null, actor: ctx.actor ?? null, details: { key: old.key, choices: choices.length, respelled: respell.length, adopted } });
    return { field, adopted, notAdopted, respelled: respell.length };
  });
}

/**
 * A choice field's values as given (`field add --choices`, `field choices`):
 * trimmed, blanks dropped, and two that are one choice (accents and case
 * aside, as imports match them) refused — an import could not tell them apart.
 */
function cleanChoices(list: readonly string[]): string[] {
  const choices: string[] = [];
  for (const c of list.map((x) => x.trim()).filter((x) => x !== '')) {
    const twin = choices.find((d) => lookupKey(d) === lookupKey(c));
    if (twin !== undefined) throw new UsageError(`'${c}' and '${twin}' are one choice (accents and case aside)`, 'name each choice once');
    choices.push(c);
  }
  return choices;
}

/** `carnet field rename`: a new name (and the key derived from it); the values follow. */
export function renameCustomField(ctx: Ctx, ref: string, newName: string): { from: CustomFieldDef; to: CustomFieldDef } {
  const repo = customRepo(ctx);
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const defs = repo.list();
    const from = findCustomField(defs, ref);
    const key = checkName(defs, newName, from.key);
    repo.rename(from.key, newName.trim(), key);
    ctx.store.audit.record({ at, action: 'field.rename', subject: null, actor: ctx.actor ?? null, details: { from: from.key, to: key } });
    return { from, to: { ...from, key, name: newName.trim() } };
  });
}

/** `carnet field remove`: the values go back to extra under the field's name, or are dropped. */
export function removeCustomField(ctx: Ctx, ref: string, opts: { drop: boolean }): { field: CustomFieldDef; values: number } {
  const repo = customRepo(ctx);
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const field = findCustomField(repo.list(), ref);
    const values = repo.customValues(field.key);
    for (const { id, value } of values) repo.release(id, field.key, field.name, opts.drop ? null : customText(value), at);
    repo.removeDef(field.key);
    ctx.store.audit.record({ at, action: 'field.remove', subject: null, actor: ctx.actor ?? null, details: { key: field.key, values: values.length, dropped: opts.drop } });
    return { field, values: values.length };
  });
}

/**
 * `--set key=value` pairs for fields of the user's own: typed values (null
 * clears). A pair naming no field of the user's own is returned in `other`.
 */
export function readCustomSets(defs: readonly CustomFieldDef[], pairs: readonly { name: string; value: string }[]): { values: Record<string, CustomValue | null>; other: { name: string; value: string }[] } {
  const values: Record<string, CustomValue | null> = {};
  const other: { name: string; value: string }[] = [];
  for (const p of pairs) {
    const def = defs.find((d) => d.key === p.name.toLowerCase() || d.key === customKey(p.name));
    if (def) values[def.key] = readCustomValue(def, p.value);
    else other.push(p);
  }
  return { values, other };
}

/** Writes --set values of fields of the user's own on one customer; returns the keys that changed. */
export function writeCustomSets(ctx: Ctx, id: number, current: Readonly<Record<string, unknown>>, values: Readonly<Record<string, CustomValue | null>>, at: string): string[] {
  const changed = Object.keys(values).filter((k) => JSON.stringify(values[k] ?? null) !== JSON.stringify(current[k] ?? null));
  if (changed.length > 0) customRepo(ctx).setValues(id, Object.fromEntries(changed.map((k) => [k, values[k] ?? null])), at);
  return changed;
}

/** The fields with how many customers hold a value. */
export function listCustomFields(ctx: Ctx): (CustomFieldDef & { filled: number })[] {
  const repo = customRepo(ctx);
  const defs = repo.list();
  const counts = repo.filledCounts(defs.map((d) => d.key));
  return defs.map((d) => ({ ...d, filled: counts[d.key] ?? 0 }));
}
