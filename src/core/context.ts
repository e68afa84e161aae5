import type { Store } from '../db/store.js';

/** What every core service needs: the open store and the time, passed in so RGPD clocks are testable. */
export interface Ctx {
  store: Store;
  now: () => Date;
  /** Who acts, for the audit log (the OS user by default). */
  actor?: string;
}

export function isoNow(ctx: Ctx): string {
  return ctx.now().toISOString();
}
