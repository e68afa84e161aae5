import type { Command } from 'commander';
import type { CustomerDetail } from '../../core/customers/show.js';
import { globalsOf, withCtx } from '../context.js';
import { examples, REF_HELP } from '../help.js';
import { out, printJson } from '../output.js';

function money(cents: number, currency: string): string {
  return `${(cents / 100).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}

function human(d: CustomerDetail, record: Record<string, unknown>): string {
  const lines: string[] = [];
  const width = Math.max(...Object.keys(record).map((k) => k.length));
  for (const [k, v] of Object.entries(record)) {
    if (v === null || v === undefined || v === '' || (typeof v === 'object' && Object.keys(v).length === 0)) continue;
    // A note of several lines stays in the value column, under its first line.
    const text = (typeof v === 'object' ? JSON.stringify(v) : String(v)).replace(/\n/g, `\n${' '.repeat(width + 2)}`);
    lines.push(`${k.padEnd(width)}  ${text}`);
  }
  if (d.categories.length) lines.push('', `categories: ${d.categories.map((c) => (c.assignedBy === 'manual' ? c.name : `${c.name} (${c.assignedBy})`)).join(', ')}`);
  if (d.contacts.length) {
    lines.push('', 'contacts:');
    for (const c of d.contacts) lines.push(`  ${[c.firstName, c.lastName].filter(Boolean).join(' ')}${c.role ? ` (${c.role})` : ''}  ${c.email ?? ''}  ${c.phone ?? ''}`.trimEnd());
  }
  if (d.sales.length) {
    lines.push('', 'sales:');
    for (const s of d.sales) lines.push(`  ${s.issuedOn}  ${s.kind} ${s.number ?? ''}  ${money(s.amountCents, s.currency)}  ${s.status}`);
  }
  if (d.interactions.length) {
    lines.push('', 'interactions:');
    for (const i of d.interactions) lines.push(`  ${i.occurredAt.slice(0, 16).replace('T', ' ')}  ${i.direction === 'in' ? '←' : '→'} ${i.kind}  ${i.summary ?? ''}`.trimEnd());
  }
  if (d.consents.length) {
    lines.push('', 'consents:');
    for (const c of d.consents) lines.push(`  ${c.recordedAt.slice(0, 10)}  ${c.channel} ${c.purpose}: ${c.state}${c.source ? ` (${c.source})` : ''}`);
  }
  return lines.join('\n');
}

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description('show one customer with contacts, sales, interactions, consents and categories')
    .argument('<ref>', REF_HELP);
  examples(cmd, ['carnet show elodie.meyer@sfr.fr', 'carnet show 12 --json']);
  cmd.action(async (ref: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const [{ showCustomer }, { customerRecord }] = await Promise.all([import('../../core/customers/show.js'), import('../../core/customers/display.js')]);
      const d = showCustomer(ctx, ref);
      const record = customerRecord(d.customer);
      if (g.json) printJson({ ...record, contacts: d.contacts, sales: d.sales, interactions: d.interactions, consents: d.consents, categories: d.categories });
      else out(human(d, record));
    });
  });
}
