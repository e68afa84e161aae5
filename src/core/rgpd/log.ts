import type { Ctx } from '../context.js';
import { ValidationError } from '../errors.js';
import type { AuditEntry } from '../model.js';
import { parseDateTime } from '../normalise/index.js';
import { readRepo } from './access.js';
import { cutoffDay, parseDuration } from './duration.js';

export interface LogInput {
  /** A date (2026-01-31, 31/01/2026) or a duration back from now (90d, 1y). */
  since?: string;
  /** An action ('rgpd.forget') or a family ('rgpd', 'export*'). */
  action?: string;
  /** A uid or a hash. */
  subject?: string;
  limit?: number;
}

function sinceOf(ctx: Ctx, raw: string): string {
  if (/^\d+\s*[a-z]+$/i.test(raw.trim())) return cutoffDay(ctx.now(), parseDuration(raw, 'since'));
  const t = parseDateTime(raw, 'since');
  if (!t) throw new ValidationError('since', `'${raw}' is not a date`, 'e.g. 2026-01-31 or 90d');
  return t;
}

/** The audit register, newest first: who did what and when, with uids or hashes, never personal data. */
export function auditLog(ctx: Ctx, input: LogInput): AuditEntry[] {
  return readRepo(ctx).audit({
    since: input.since ? sinceOf(ctx, input.since) : null,
    action: input.action?.trim() || null,
    subject: input.subject?.trim() || null,
    limit: input.limit === undefined || input.limit === 0 ? null : input.limit,
  });
}
