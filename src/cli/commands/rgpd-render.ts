import type { ForgetPreview, ForgetResult } from '../../core/rgpd/forget.js';
import type { PurgePlan } from '../../core/rgpd/purge-plan.js';
import type { PurgeResult } from '../../core/rgpd/purge.js';
import type { ScrubReport } from '../../core/rgpd/scrub.js';
import type { GlobalOpts } from '../context.js';
import { renderTable, say, warn } from '../output.js';

const day = (s: string) => s.slice(0, 10);

/** The purge list as a table: who (in a preview), which rule, what happens, counted from when. */
export function purgeTable(items: PurgePlan['items'] | PurgeResult['items'], held: PurgePlan['held']): string {
  const rows = [
    ...items.map((i) => ({ uid: i.uid, name: 'name' in i ? i.name : '', rule: i.rule, action: i.action, since: day(i.referenceDate), why: i.reason })),
    ...held.map((i) => ({ uid: i.uid, name: i.name, rule: i.rule, action: `held (${i.heldBecause})`, since: day(i.referenceDate), why: i.reason })),
  ];
  const columns = items.some((i) => 'name' in i) || held.length > 0 ? ['uid', 'name', 'rule', 'action', 'since', 'why'] : ['uid', 'rule', 'action', 'since', 'why'];
  return rows.length ? renderTable(columns, rows, { maxWidth: process.stdout.columns }) : '';
}

export function purgeSummary(r: PurgeResult, implied: boolean): string[] {
  const c = r.counts;
  const parts = [
    [c.erased, r.dryRun ? 'would be erased' : 'erased'],
    [c.archived, r.dryRun ? 'would be archived to their invoices' : 'archived to their invoices'],
    [c.anonymised, r.dryRun ? 'would be anonymised' : 'anonymised'],
    [c.trimmed, r.dryRun ? 'would lose invoices past retention' : 'lost invoices past retention'],
    [c.held, 'held (restricted or unpaid invoice)'],
  ].filter(([n]) => Number(n) > 0).map(([n, what]) => `${String(n)} ${String(what)}`);
  const lines = [`${r.dryRun ? 'dry run: ' : ''}${parts.length ? parts.join(', ') : 'no record is past its retention'}`];
  if (r.dryRun) lines.push(implied ? 'nothing changed: without a terminal a purge needs --yes (cron: carnet rgpd purge --yes --json)' : 'nothing changed');
  else if (c.rows > 0) lines.push(`${c.rows} rows removed, ${c.suppressed} identifiers added to the suppression list (no import brings them back)`);
  if (!r.dryRun && c.kept > 0) lines.push(`${c.kept} identifier(s) kept off the suppression list: a customer who stays holds them too (a family e-mail, a shared phone), and the next import of that customer must go through`);
  if (r.scrub) lines.push(...scrubLines(r.scrub));
  else if (r.rejectsExpired.length) lines.push(`deleted ${r.rejectsExpired.length} rejects file(s) older than the policy's retention (carnet rgpd policy show)`);
  return lines;
}

export function forgetPreviewText(p: ForgetPreview): string {
  const lines = [`About to erase ${p.name} (${p.uid}) for good:`, `  ${Object.entries(p.counts).map(([t, n]) => `${t} ${n}`).join(', ')}`];
  if (p.keptInvoices.length) lines.push(`  ${p.keptInvoices.length} invoice(s) stay under legal retention until ${p.keptUntil ?? '?'}, with the name, address and SIRET/VAT only`);
  if (p.merges) lines.push(`  ${p.merges} dedupe merge snapshot(s) will be deleted: those merges can no longer be undone`);
  if (p.restricted) lines.push('  note: this record is restricted (art. 18); erasing it ends the restriction');
  return lines.join('\n');
}

export function forgetLines(r: ForgetResult): string[] {
  const lines: string[] = [];
  if (r.mode === 'contact-erased') lines.push(`erased the contact person; the company file ${r.uid} stays`);
  else if (r.mode === 'kept-for-accounts') {
    lines.push(`erased ${r.uid}, except ${r.keptInvoices.length} invoice(s) the law requires to keep until ${r.keptUntil ?? '?'}: ${r.keptInvoices.map((i) => i.number ?? i.issuedOn).join(', ')}`);
    lines.push('the record keeps only the identity an invoice must show (name or company, address, SIRET/VAT) and is archived; carnet rgpd purge erases it when the retention ends');
  } else lines.push(`erased ${r.uid}: ${Object.entries(r.removed).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  if (r.mergesRemoved.length) lines.push(`deleted the snapshot of dedupe merge(s) ${r.mergesRemoved.join(', ')}: carnet dedupe undo of them is no longer possible`);
  if (r.auditRedacted) lines.push(`blanked the person's identifiers in ${r.auditRedacted} audit entr${r.auditRedacted === 1 ? 'y' : 'ies'} that quoted them (an export filter…)`);
  lines.push(`${r.suppressed} identifier(s) added to the suppression list: no import will bring this person back`);
  for (const k of r.kept) {
    lines.push(`kept the ${k.kind === 'email' ? 'e-mail' : k.kind === 'phone' ? 'phone' : 'SIRET'} off the suppression list: ${k.holders} other customer(s) who stay hold it too (a family address?), and their imports go on`);
  }
  lines.push(`recorded in the audit log as ${r.auditSubject.slice(0, 16)}… (a salted hash, not the data)`);
  return [...lines, ...scrubLines(r.scrub)];
}

export function scrubLines(s: ScrubReport): string[] {
  const lines: string[] = [];
  if (s.checked > 0) {
    lines.push(s.fileTraces === 0
      ? `checked the database file and its WAL byte by byte: no trace left${s.vacuumed ? ' (after VACUUM)' : ''}`
      : `warning: ${s.fileTraces} identifier(s) still found in the file bytes; run carnet rgpd purge --yes once no other carnet is running`);
  }
  if (!s.walTruncated) lines.push('warning: another process holds the database open: the WAL could not be truncated; run carnet rgpd purge --yes later');
  for (const t of s.rowTraces) lines.push(`warning: ${t.table}.${t.column} still holds one of the identifiers in ${t.rows} row(s): another record of the same person? (carnet show, then carnet rgpd forget it)`);
  for (const m of s.mentions) lines.push(`note: the person's name still appears in the free text of ${m.rows} other row(s) (${m.table}.${m.column}): review them (carnet search NAME)`);
  const rj = s.rejects;
  if (rj.rows) lines.push(`removed ${rj.rows} row(s) of the erased from ${rj.files.length} rejects file(s): ${rj.files.join(', ')}`);
  if (rj.expired.length) lines.push(`deleted ${rj.expired.length} rejects file(s) older than the policy's retention (carnet rgpd policy show)`);
  for (const x of s.beyondReach) lines.push(`note: carnet cannot reach ${x}`);
  if (s.backups.length) lines.push(`note: ${s.backups.length} earlier backup(s) still contain the person until they are rotated out: ${s.backups.join(', ')}`);
  return lines;
}

/** Lines for stderr: warnings are never silenced by --quiet, the rest is. */
export function speak(g: GlobalOpts, lines: string[]): void {
  for (const line of lines) {
    if (line.startsWith('warning: ')) warn(g, line.slice(9));
    else say(g, line);
  }
}
