/**
 * What the interactive review shows of a cluster: each record in full and,
 * per field, the distinct values and which one a merge would keep.
 */
import type { Ctx } from '../context.js';
import { NotFoundError } from '../errors.js';
import type { Customer } from '../model.js';
import { CUSTOMER_FIELD_COLUMNS } from '../../db/rows.js';
import { CHOOSABLE_FIELDS, mergeFields } from './merge-fields.js';
import { survivorOf } from './merge.js';

export interface FieldComparison {
  /** Column name (the catalogue key). */
  field: string;
  values: (string | null)[];
  differs: boolean;
  /** Index into values of the record whose value a merge keeps by default. */
  keeps: number;
}

export interface ClusterDetail {
  records: Customer[];
  survivorId: number;
  fields: FieldComparison[];
  /** Records whose processing is restricted (RGPD art. 18): shown, never merged. */
  restricted: number[];
}

const show = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

export function clusterDetail(ctx: Ctx, ids: number[]): ClusterDetail {
  const records = ids.map((id) => {
    const c = ctx.store.customers.get(id);
    if (!c) throw new NotFoundError(`customer ${id} no longer exists`, 'run carnet dedupe again');
    return c;
  });
  const merged = mergeFields(records).fields as unknown as Record<string, unknown>;
  const fields: FieldComparison[] = [];
  for (const key of CHOOSABLE_FIELDS) {
    const values = records.map((r) => show(r[key]));
    if (values.every((v) => v === null)) continue;
    const distinct = new Set(values.filter((v) => v !== null));
    const kept = show(merged[key]);
    fields.push({ field: CUSTOMER_FIELD_COLUMNS[key], values, differs: distinct.size > 1 || values.includes(null), keeps: Math.max(0, values.indexOf(kept)) });
  }
  const extraKeys = new Set(records.flatMap((r) => Object.keys(r.extra)));
  for (const k of extraKeys) {
    const values = records.map((r) => show(r.extra[k]));
    fields.push({ field: `extra.${k}`, values, differs: new Set(values).size > 1, keeps: -1 });
  }
  return { records, survivorId: survivorOf(records).id, fields, restricted: records.filter((r) => r.restrictedAt).map((r) => r.id) };
}
