import { isoNow, type Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import type { AssignedBy } from '../model.js';
import { resolveRef } from '../customers/ref.js';
import { tagCustomer, untagCustomer } from '../customers/tags.js';
import { categoriseRepo, isBuiltinName } from './common.js';
import { foldName } from './rules.js';

export interface TagResult {
  customer: { id: number; uid: string };
  added: string[];
  already: string[];
}

/**
 * `carnet tag REF CAT…`: manual tags, which categorise never removes. A
 * category that does not exist yet is created (kind manual), except under a
 * built-in name, which only categorise creates.
 */
export function tag(ctx: Ctx, ref: string, names: string[]): TagResult {
  const repo = categoriseRepo(ctx);
  for (const name of names) {
    if (isBuiltinName(name) && !repo.findByName(name.trim())) {
      throw new UsageError(`'${name.trim()}' is a built-in category that does not exist yet`, 'run `carnet categorise` first, then tag');
    }
  }
  const res = tagCustomer(ctx, ref, names);
  const customer = resolveRef(ctx, ref);
  return { customer: { id: customer.id, uid: customer.uid }, ...res };
}

export interface UntagResult {
  customer: { id: number; uid: string };
  removed: string[];
  /** Categories the customer stays in because something other than a person put them there. */
  stays: { name: string; by: AssignedBy[] }[];
}

/**
 * `carnet untag REF CAT…`: removes what a person put there — manual tags and
 * tags that came with an imported file — and says which memberships a rule,
 * the lifecycle or RFM keeps (they follow the data, not a person).
 */
export function untag(ctx: Ctx, ref: string, names: string[]): UntagResult {
  const clean = names.map((n) => n.trim()).filter((n) => n.length > 0);
  if (clean.length === 0) throw new UsageError('no category given', 'e.g. carnet untag 12 VIP');
  return ctx.store.tx(() => untagInTx(ctx, ref, clean));
}

function untagInTx(ctx: Ctx, ref: string, clean: string[]): UntagResult {
  const res = untagCustomer(ctx, ref, clean);
  const customer = resolveRef(ctx, ref);
  const fromImport: string[] = [];
  for (const name of clean) {
    const cat = ctx.store.categories.findByName(name);
    if (cat && ctx.store.categories.unassign(customer.id, cat.id, 'import')) fromImport.push(cat.name);
  }
  if (fromImport.length > 0) {
    ctx.store.audit.record({ at: isoNow(ctx), action: 'category.untag', subject: customer.uid, actor: ctx.actor ?? null, details: { categories: fromImport, assigned_by: 'import' } });
  }
  const removed = [...new Set([...res.removed, ...fromImport])];
  const wanted = new Set(clean.map(foldName));
  const stays = new Map<string, AssignedBy[]>();
  for (const m of ctx.store.categories.forCustomer(customer.id)) {
    if (!wanted.has(foldName(m.name)) || m.assignedBy === 'manual') continue;
    stays.set(m.name, [...(stays.get(m.name) ?? []), m.assignedBy]);
  }
  return { customer: { id: customer.id, uid: customer.uid }, removed, stays: [...stays].map(([name, by]) => ({ name, by })) };
}
