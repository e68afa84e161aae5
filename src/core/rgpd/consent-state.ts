import type { Channel, Consent, ConsentState } from '../model.js';

/**
 * Where a person stands on one channel: an opposition (a consent row
 * 'opposed', or a suppression for the channel or for all) always wins;
 * otherwise the latest of granted / refused / withdrawn for the purpose
 * (marketing: what export reads too); null when nothing was ever recorded
 * (B2B prospecting by e-mail may then rely on legitimate interest, B2C may
 * not: CPCE art. L34-5). An objection holds whatever purpose it was given for.
 */
export function consentOn(consents: readonly Consent[], suppressed: ReadonlySet<string>, channel: Channel, purpose = 'marketing'): ConsentState | null {
  if (suppressed.has('all') || suppressed.has(channel)) return 'opposed';
  let latest: Consent | null = null;
  for (const c of consents) {
    if (c.channel !== channel) continue;
    if (c.state === 'opposed') return 'opposed';
    if (c.purpose !== purpose) continue;
    if (latest === null || c.recordedAt > latest.recordedAt || (c.recordedAt === latest.recordedAt && c.id > latest.id)) latest = c;
  }
  return latest?.state ?? null;
}
