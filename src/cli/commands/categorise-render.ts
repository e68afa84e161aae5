import type { CategoriseReport, CustomerBrief } from '../../core/categorise/index.js';
import { renderTable } from '../output.js';

/** The report for scripts: snake_case, customers as {id, uid, name}. */
export function reportJson(r: CategoriseReport): Record<string, unknown> {
  const who = (b: CustomerBrief) => ({ id: b.id, uid: b.uid, name: b.name });
  return {
    dry_run: r.dryRun,
    at: r.at,
    customers: r.customers,
    statuses: {
      changed: r.statuses.changed,
      transitions: r.statuses.transitions,
      counts: Object.fromEntries(r.statuses.counts.map((s) => [s.status, s.count])),
      ...(r.dryRun ? { changes: r.statuses.changes.map((s) => ({ ...who(s), from: s.from, to: s.to })) } : {}),
    },
    followups: r.followups,
    rfm_scored: r.rfmScored,
    rules: r.rules,
    entered: r.entered,
    left: r.left,
    categories: r.categories.map((c) => ({
      name: c.name,
      kind: c.kind,
      assigned_by: c.by,
      entered: c.entered,
      left: c.left,
      members: c.members,
      ...(r.dryRun ? { entered_customers: c.enteredCustomers.map(who), left_customers: c.leftCustomers.map(who) } : {}),
    })),
  };
}

function more(shown: number, total: number): string[] {
  return total > shown ? [`    … and ${total - shown} more`] : [];
}

/** The dry run's data: who would change status, enter and leave (stdout). */
export function changesText(r: CategoriseReport): string {
  const lines: string[] = [];
  if (r.statuses.changed > 0) {
    lines.push(`status: ${r.statuses.changed} would change`);
    for (const s of r.statuses.changes) lines.push(`    ${String(s.id).padStart(6)}  ${s.name}: ${s.from} → ${s.to}`);
    lines.push(...more(r.statuses.changes.length, r.statuses.changed));
  }
  for (const c of r.categories.filter((x) => x.entered + x.left > 0)) {
    lines.push(`${c.name} (${c.kind}): ${c.entered} would enter, ${c.left} would leave`);
    for (const b of c.enteredCustomers) lines.push(`  + ${String(b.id).padStart(6)}  ${b.name}`);
    lines.push(...more(c.enteredCustomers.length, c.entered));
    for (const b of c.leftCustomers) lines.push(`  - ${String(b.id).padStart(6)}  ${b.name}`);
    lines.push(...more(c.leftCustomers.length, c.left));
  }
  return lines.length > 0 ? lines.join('\n') : 'nothing would change';
}

/** The summary for the person (stderr): counts of both directions per category. */
export function summaryText(r: CategoriseReport): string {
  const { considered, archived, restricted } = r.customers;
  const head = `${r.dryRun ? 'dry run, nothing written: ' : ''}${considered} customer${considered === 1 ? '' : 's'} categorised` +
    (archived + restricted > 0 ? ` (${archived} archived, ${restricted} restricted left out; their memberships are kept as they were)` : '');
  const transitions = r.statuses.transitions.map((t) => `${t.from} → ${t.to} ${t.count}`).join(', ');
  const rows = r.categories.map((c) => ({ category: c.name, kind: c.kind, entered: c.entered, left: c.left, members: c.members }));
  return [
    head,
    `statuses: ${r.statuses.changed} changed${transitions ? ` (${transitions})` : ''}${r.statuses.counts.length ? `; now ${r.statuses.counts.map((s) => `${s.status} ${s.count}`).join(', ')}` : ''}`,
    `rules: ${r.rules}; RFM: ${r.rfmScored} customers scored; to follow up: ${r.followups} customer${r.followups === 1 ? '' : 's'}`,
    renderTable(['category', 'kind', 'entered', 'left', 'members'], rows),
    `total: ${r.entered} entered, ${r.left} left`,
  ].join('\n');
}
