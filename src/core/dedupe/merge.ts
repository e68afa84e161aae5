/**
 * Merging customers into one: the oldest record survives (its id and uid
 * are the ones other systems know), takes the fields that win (see
 * merge-fields.ts), and receives the others' contacts, interactions,
 * sales, consents, categories and import history; the others are deleted.
 * Everything needed to undo is stored in `merges` as a snapshot of every
 * row touched. Restricted records (RGPD art. 18) are never merged.
 */
import { isoNow, type Ctx } from '../context.js';
import { InputRejectedError, NotFoundError, UsageError } from '../errors.js';
import type { Channel, Customer } from '../model.js';
import { CHILD_TABLES, DedupeMergesRepo, LINK_TABLES, type RawRow } from '../../db/repositories/dedupe-merges.js';
import { mergeFields, type FieldChoices } from './merge-fields.js';
import { refusalsToCarry } from './merge-consents.js';
import { DedupeAliasesRepo } from '../../db/repositories/dedupe-aliases.js';
import { KEY } from '../fields/catalogue.js';

export function mergesRepo(ctx: Ctx): DedupeMergesRepo {
  return ctx.store.extension('dedupe-merges', (db) => new DedupeMergesRepo(db));
}

export interface MergeInput {
  /** Customer ids to merge into one (at least two). */
  ids: number[];
  /** Per field, the id of the record whose value the person chose. */
  choices?: FieldChoices;
  score?: number | null;
  decidedBy: 'person' | 'auto';
}

export interface MergeCounts {
  contacts: number;
  interactions: number;
  sales: number;
  consents: number;
  categories: number;
}

export interface MergeResult {
  mergeId: number;
  survivor: { id: number; uid: string };
  merged: { id: number; uid: string }[];
  moved: MergeCounts;
  /** Refusals restated on the survivor so that no grant from another record overrides them. */
  refusalsKept: number;
  chosen: string[];
}

export interface Snapshot {
  v: 1;
  survivor: RawRow;
  merged: RawRow[];
  rows: Record<string, RawRow[]>;
  created: { consents: number[]; links: { table: string; row: RawRow }[] };
  afterUpdatedAt: string;
}

/** The oldest record survives: created first, then lowest id. */
export function survivorOf(records: readonly Customer[]): Customer {
  const sorted = [...records].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
  const first = sorted[0];
  if (!first) throw new UsageError('nothing to merge');
  return first;
}

/** Merges inside the caller's transaction (autoMerge runs many in one). */
export function mergeInTx(ctx: Ctx, input: MergeInput, at: string): MergeResult {
  const ids = [...new Set(input.ids)];
  if (ids.length < 2) throw new UsageError('a merge needs at least two customers');
  const repo = mergesRepo(ctx);
  // One read for the records and the snapshot's rows (a round trip per customer adds up over an --auto run on a server).
  const { raw: rawCustomers, records: byId } = repo.customersOf(ids);
  const records = ids.map((id) => {
    const c = byId.get(id);
    if (!c) throw new NotFoundError(`customer ${id} no longer exists`, 'run carnet dedupe again');
    return c;
  });
  const restricted = records.filter((r) => r.restrictedAt);
  if (restricted.length > 0) {
    throw new InputRejectedError(
      `customer ${restricted.map((r) => r.id).join(', ')} is restricted (RGPD art. 18): a restricted record is never merged`,
      'lift the restriction first with carnet rgpd unrestrict REF if the person agrees',
    );
  }
  const survivor = survivorOf(records);
  const others = records.filter((r) => r.id !== survivor.id);
  const otherIds = others.map((r) => r.id);
  const uidOf = new Map(records.map((r) => [r.id, r.uid]));

  const rows: Record<string, RawRow[]> = repo.rowsOfEach([...CHILD_TABLES, ...LINK_TABLES], ids);

  const { fields, custom, chosen } = mergeFields(records, input.choices);
  const moved: MergeCounts = { contacts: 0, interactions: 0, sales: 0, consents: 0, categories: 0 };
  // Only tables where the others own rows (read just above, in this transaction): an UPDATE of none is a round trip for nothing on a server.
  for (const t of CHILD_TABLES) if ((rows[t] ?? []).some((r) => r.customer_id !== survivor.id)) moved[t] = repo.moveChildren(t, otherIds, survivor.id);
  const createdLinks: { table: string; row: RawRow }[] = [];
  for (const t of LINK_TABLES) {
    for (const row of rows[t] ?? []) {
      if (row.customer_id === survivor.id) continue;
      if (repo.copyLink(t, row, survivor.id)) {
        createdLinks.push({ table: t, row: { ...row, customer_id: survivor.id } });
        if (t === 'customer_categories') moved.categories++;
      }
    }
  }
  const carried = refusalsToCarry(rows.consents ?? [], uidOf);
  const createdConsents = carried.map((c) =>
    ctx.store.consents.insert({
      customerId: survivor.id,
      channel: c.channel as Channel,
      purpose: c.purpose,
      state: c.state,
      source: 'carnet dedupe',
      proof: `${c.state === 'opposed' ? 'opposition' : 'withdrawal'} recorded on merged record ${c.fromUid}`,
      recordedAt: at,
    }),
  );
  repo.deleteCustomers(otherIds);
  ctx.store.customers.update(survivor.id, fields, at);
  const createdAt = records.map((r) => r.createdAt).sort()[0] ?? survivor.createdAt;
  const lastContact = records.map((r) => r.lastContactAt).filter((x): x is string => Boolean(x)).sort().pop() ?? null;
  repo.rewriteCustomer({ id: survivor.id, created_at: createdAt, last_contact_at: lastContact, custom: JSON.stringify(custom) });

  const snapshot: Snapshot = {
    v: 1,
    survivor: rawCustomers.find((r) => r.id === survivor.id) ?? {},
    merged: rawCustomers.filter((r) => r.id !== survivor.id),
    rows,
    created: { consents: createdConsents, links: createdLinks },
    afterUpdatedAt: at,
  };
  const mergeId = repo.insertMerge({
    survivor_id: survivor.id,
    merged_ids: JSON.stringify(otherIds),
    score: input.score ?? null,
    snapshot: JSON.stringify(snapshot),
    decided_by: input.decidedBy,
    merged_at: at,
  });
  // The nightly import of the same files must find the survivor, not recreate the duplicate.
  const final = ctx.store.customers.get(survivor.id);
  ctx.store
    .extension('dedupe-aliases', (db) => new DedupeAliasesRepo(db))
    .record(
      survivor.id,
      mergeId,
      { [KEY.externalId]: final?.externalId, [KEY.externalSource]: final?.externalSource, siret: final?.siret, [KEY.emailNorm]: final?.emailNorm },
      [snapshot.survivor, ...snapshot.merged],
    );
  ctx.store.audit.record({
    at,
    action: 'dedupe.merge',
    subject: survivor.uid,
    actor: ctx.actor ?? null,
    details: { merge_id: mergeId, merged_uids: others.map((o) => o.uid), moved, refusals_kept: carried.length, decided_by: input.decidedBy, fields_chosen: chosen, score: input.score ?? null },
  });
  return { mergeId, survivor: { id: survivor.id, uid: survivor.uid }, merged: others.map((o) => ({ id: o.id, uid: o.uid })), moved, refusalsKept: carried.length, chosen };
}

export function mergeCustomers(ctx: Ctx, input: MergeInput): MergeResult {
  const at = isoNow(ctx);
  return ctx.store.tx(() => mergeInTx(ctx, input, at));
}
