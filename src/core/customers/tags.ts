import { isoNow, type Ctx } from '../context.js';
import { NotFoundError, UsageError } from '../errors.js';
import { resolveRef } from './ref.js';

/** Manual tags: never removed by rules, lifecycle or RFM recomputation. */
export function tagCustomer(ctx: Ctx, ref: string, names: string[]): { added: string[]; already: string[] } {
  const clean = names.map((n) => n.trim()).filter((n) => n.length > 0);
  if (clean.length === 0) throw new UsageError('no category given', 'e.g. carnet tag 12 VIP');
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const customer = resolveRef(ctx, ref);
    const added: string[] = [];
    const already: string[] = [];
    for (const name of clean) {
      const cat = ctx.store.categories.ensure(name, at);
      (ctx.store.categories.assign(customer.id, cat.id, 'manual', at) ? added : already).push(cat.name);
    }
    if (added.length > 0) {
      ctx.store.audit.record({ at, action: 'category.tag', subject: customer.uid, actor: ctx.actor ?? null, details: { categories: added } });
    }
    return { added, already };
  });
}

export function untagCustomer(ctx: Ctx, ref: string, names: string[]): { removed: string[] } {
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const customer = resolveRef(ctx, ref);
    const removed: string[] = [];
    for (const name of names) {
      const cat = ctx.store.categories.findByName(name.trim());
      if (!cat) throw new NotFoundError(`no category named '${name}'`, 'carnet category list shows them');
      if (ctx.store.categories.unassign(customer.id, cat.id, 'manual')) removed.push(cat.name);
    }
    if (removed.length > 0) {
      ctx.store.audit.record({ at, action: 'category.untag', subject: customer.uid, actor: ctx.actor ?? null, details: { categories: removed } });
    }
    return { removed };
  });
}
