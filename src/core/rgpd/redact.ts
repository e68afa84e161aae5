import type { Ctx } from '../context.js';
import { rgpdRepo } from './erase.js';

/** E-mails and digit runs (phones, SIRETs) as they appear in free text: an export's --where, say. */
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const DIGITS = /\+?\d[\d .\-/]{6,}\d/g;

/** One spelling per identifier: e-mails lower-cased, French national phones as E.164, other digits bare. */
function keyOf(token: string): string {
  if (token.includes('@')) return token.toLowerCase();
  const digits = token.replace(/\D/g, '');
  if (token.startsWith('+')) return `+${digits}`;
  if (digits.length === 10 && digits.startsWith('0')) return `+33${digits.slice(1)}`;
  if (digits.startsWith('0033')) return `+${digits.slice(2)}`;
  return digits;
}

function redactText(text: string, keys: ReadonlySet<string>): string {
  return text.replace(EMAIL, (m) => (keys.has(keyOf(m)) ? '[erased]' : m)).replace(DIGITS, (m) => (keys.has(keyOf(m)) ? '[erased]' : m));
}

/**
 * The audit log holds uids and hashes, but a free-form detail (an export's
 * --where filter, say) may quote an e-mail, a phone or a SIRET: erasure blanks
 * them there too. One pass over the log whatever the number of people erased.
 * Returns the entries changed.
 */
export function redactAudit(ctx: Ctx, identifiers: string[]): number {
  if (identifiers.length === 0) return 0;
  const keys = new Set(identifiers.map(keyOf));
  const repo = rgpdRepo(ctx);
  let changed = 0;
  for (const row of repo.auditRowsQuotingIdentifiers()) {
    const details = redactText(row.details, keys);
    const subject = row.subject === null ? null : redactText(row.subject, keys);
    if (details !== row.details || subject !== row.subject) {
      repo.rewriteAuditRow(row.id, subject, details);
      changed++;
    }
  }
  return changed;
}
