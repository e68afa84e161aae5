/**
 * "Not the same": a person's decision that customers are different people.
 * Stored by uid pair in dedupe_decisions, so it survives id changes and a
 * later dedupe never proposes these records together again.
 */
import { isoNow, type Ctx } from '../context.js';
import { NotFoundError, UsageError } from '../errors.js';
import { dedupeRepo } from './find.js';

export function markDistinct(ctx: Ctx, ids: number[]): { pairs: number } {
  const unique = [...new Set(ids)];
  if (unique.length < 2) throw new UsageError('give at least two different customers');
  const at = isoNow(ctx);
  const repo = dedupeRepo(ctx);
  return ctx.store.tx(() => {
    const customers = unique.map((id) => {
      const c = ctx.store.customers.get(id);
      if (!c) throw new NotFoundError(`no customer ${id}`);
      return c;
    });
    let pairs = 0;
    for (let i = 0; i < customers.length; i++) {
      for (let j = i + 1; j < customers.length; j++) {
        const a = customers[i];
        const b = customers[j];
        if (a && b && repo.addDistinct(a.uid, b.uid, at)) pairs++;
      }
    }
    const first = customers[0];
    ctx.store.audit.record({ at, action: 'dedupe.distinct', subject: first?.uid ?? null, actor: ctx.actor ?? null, details: { uids: customers.map((c) => c.uid), pairs } });
    return { pairs };
  });
}
