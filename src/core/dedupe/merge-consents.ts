/**
 * An opposition or a withdrawal recorded on any merged record survives the
 * merge. All consent rows move to the survivor, so the history is kept; but
 * if the survivor's latest word on a channel would now be a grant that came
 * from another record, a new row restates the refusal, dated at the merge.
 * An opposition (RGPD art. 21) wins over any grant, whatever its date.
 */
import type { RawRow } from '../../db/repositories/dedupe-merges.js';

export interface CarriedConsent {
  channel: string;
  purpose: string;
  state: 'opposed' | 'withdrawn';
  /** uid of the record whose refusal is carried. */
  fromUid: string;
}

const NEGATIVE = new Set(['opposed', 'withdrawn']);

function latest(rows: RawRow[]): RawRow | undefined {
  return [...rows].sort((a, b) => (String(a.recorded_at) < String(b.recorded_at) ? -1 : String(a.recorded_at) > String(b.recorded_at) ? 1 : Number(a.id) - Number(b.id))).pop();
}

/**
 * The refusals to restate, given each member's consent rows before the
 * merge (customer_id → rows) and the uid of each member.
 */
export function refusalsToCarry(consents: RawRow[], uidOf: Map<number, string>): CarriedConsent[] {
  const byKey = new Map<string, RawRow[]>();
  for (const c of consents) {
    const key = `${String(c.channel)}\u0000${String(c.purpose)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  const out: CarriedConsent[] = [];
  for (const rows of byKey.values()) {
    const after = latest(rows);
    if (!after) continue;
    const opposed = rows.find((r) => r.state === 'opposed');
    if (opposed && after.state !== 'opposed') {
      out.push({ channel: String(opposed.channel), purpose: String(opposed.purpose), state: 'opposed', fromUid: uidOf.get(Number(opposed.customer_id)) ?? '' });
      continue;
    }
    if (NEGATIVE.has(String(after.state))) continue;
    // Each member's own last word: a withdrawal that member never took back must not be undone by another record's grant.
    const members = new Set(rows.map((r) => Number(r.customer_id)));
    for (const m of members) {
      const own = latest(rows.filter((r) => Number(r.customer_id) === m));
      if (own && own.state === 'withdrawn') {
        out.push({ channel: String(own.channel), purpose: String(own.purpose), state: 'withdrawn', fromUid: uidOf.get(m) ?? '' });
        break;
      }
    }
  }
  return out;
}
