/**
 * Undoing a merge: the merged customers come back with their ids, uids and
 * every column as they were; their contacts, interactions, sales, consents,
 * categories and import history go back to them; the survivor gets its old
 * values back; what the merge created (restated refusals, copied links) is
 * removed. Refused when a later merge built on this one (undo that first),
 * or when the survivor was edited since (--force to undo anyway and lose
 * those edits).
 */
import { isoNow, type Ctx } from '../context.js';
import { AppError, NotFoundError, UsageError } from '../errors.js';
import { CHILD_TABLES, LINK_TABLES, type LinkTable, type RawRow } from '../../db/repositories/dedupe-merges.js';
import { mergesRepo, type Snapshot } from './merge.js';
import { DedupeAliasesRepo } from '../../db/repositories/dedupe-aliases.js';

export interface UndoResult {
  mergeId: number;
  survivor: { id: number; uid: string };
  restored: { id: number; uid: string }[];
}

export function undoMerge(ctx: Ctx, mergeId: number, opts: { force?: boolean } = {}): UndoResult {
  const at = isoNow(ctx);
  const repo = mergesRepo(ctx);
  return ctx.store.tx(() => {
    const m = repo.getMerge(mergeId);
    if (!m) throw new NotFoundError(`no merge #${mergeId}`, 'carnet dedupe history lists them');
    if (m.undone_at) throw new UsageError(`merge #${mergeId} was already undone on ${m.undone_at}`);
    const snap = JSON.parse(m.snapshot) as Snapshot & { redacted?: boolean };
    if (snap.redacted) throw new AppError(`merge #${mergeId} cannot be undone: its copy of the records was erased (right to erasure)`);
    const mergedIds = snap.merged.map((r) => Number(r.id));
    const later = repo.laterMergesTouching(mergeId, [m.survivor_id, ...mergedIds]);
    if (later.length > 0) {
      throw new UsageError(`merge #${later[later.length - 1]} was made after #${mergeId} on the same customers`, `undo it first: carnet dedupe undo ${later[later.length - 1]}`);
    }
    const survivor = ctx.store.customers.get(m.survivor_id);
    if (!survivor) throw new NotFoundError(`the surviving customer ${m.survivor_id} no longer exists (erased?)`, 'nothing can be restored');
    if (survivor.updatedAt !== snap.afterUpdatedAt && !opts.force) {
      throw new UsageError(
        `customer ${survivor.id} was changed after merge #${mergeId} (on ${survivor.updatedAt})`,
        `undoing restores the values of before the merge and loses that change; add --force to undo anyway`,
      );
    }
    for (const id of mergedIds) {
      if (repo.rowExists('customers', id)) {
        throw new AppError(`customer id ${id} was given to a new customer since merge #${mergeId}`, { hint: 'the merge cannot be undone exactly; the snapshot is kept in the merges table' });
      }
    }
    for (const row of snap.merged) repo.insertRow('customers', row);
    for (const t of CHILD_TABLES) {
      for (const row of snap.rows[t] ?? []) {
        if (repo.setOwner(t, Number(row.id), Number(row.customer_id)) === 0) repo.insertRow(t, row);
      }
    }
    for (const id of snap.created.consents) repo.deleteRow('consents', id);
    for (const { table, row } of snap.created.links) repo.deleteLink(table as LinkTable, row);
    for (const t of LINK_TABLES) {
      for (const row of snap.rows[t] ?? []) if (row.customer_id !== m.survivor_id) repo.insertRow(t, row as RawRow);
    }
    repo.rewriteCustomer(snap.survivor);
    repo.markUndone(mergeId, at);
    ctx.store.extension('dedupe-aliases', (db) => new DedupeAliasesRepo(db)).dropForMerge(mergeId);
    const restored = snap.merged.map((r) => ({ id: Number(r.id), uid: String(r.uid) }));
    ctx.store.audit.record({
      at,
      action: 'dedupe.undo',
      subject: survivor.uid,
      actor: ctx.actor ?? null,
      details: { merge_id: mergeId, restored_uids: restored.map((r) => r.uid), forced: Boolean(opts.force && survivor.updatedAt !== snap.afterUpdatedAt) },
    });
    return { mergeId, survivor: { id: survivor.id, uid: survivor.uid }, restored };
  });
}
