import type { MappingPlan } from './mapping.js';
import { blank, type RowState } from './row-state.js';

/** What a row of carnet's own export carries beyond fields: the customer it came from and its RGPD/archive markers. */
export interface CarnetRowParts {
  ownUid: string | null;
  restrictedAt: string | null;
  archivedAt: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const NO_CARNET_PARTS: CarnetRowParts = { ownUid: null, restrictedAt: null, archivedAt: null };

/**
 * The columns of carnet's own export that are no field: the uid (matches the
 * customer it was exported from), the extra column (a JSON object merged
 * back into extra key by key: before the file's other extra columns, which
 * win on a clash), the restriction and archive dates. A cell that is not
 * what carnet writes is kept in extra with a warning, as any bad value.
 */
export function carnetParts(st: RowState, plan: MappingPlan): CarnetRowParts {
  for (const c of plan.extraJson) mergeExtra(st, c);
  let ownUid: string | null = null;
  for (const c of plan.ownUid) {
    const v = st.cells[c];
    if (blank(v)) continue;
    const uid = (v as string).trim().toLowerCase();
    if (ownUid === null && UUID.test(uid)) ownUid = uid;
    else {
      st.keep(c);
      if (!UUID.test(uid)) st.warnings.push({ field: 'uid', message: `'${uid}' is not a uid carnet writes (kept in extra as '${st.name(c)}')` });
    }
  }
  return {
    ownUid,
    restrictedAt: plan.restrictedAt.length > 0 ? st.date(plan.restrictedAt, 'restricted_at') : null,
    archivedAt: plan.archivedAt.length > 0 ? st.date(plan.archivedAt, 'archived_at') : null,
  };
}

function mergeExtra(st: RowState, column: number): void {
  const raw = st.cells[column];
  if (raw === undefined || blank(raw)) return;
  let obj: unknown;
  try {
    obj = JSON.parse(raw);
  } catch {
    obj = undefined;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    st.keep(column);
    st.warnings.push({ field: 'extra', message: `not a JSON object as carnet writes it (kept in extra as '${st.name(column)}')` });
    return;
  }
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    st.extra[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}
