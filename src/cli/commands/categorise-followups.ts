import type { Command } from 'commander';
import type { Followup, FollowupsResult } from '../../core/categorise/index.js';
import { globalsOf, parseIntOption, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, paint, say } from '../output.js';

type Describe = (item: Followup['reasons'][number]) => string;

/** One JSON document, written in chunks: a long list never becomes one huge string, nor one write per customer. */
function writeJson(res: FollowupsResult, describe: Describe): void {
  let chunk = `{\n  "today": ${JSON.stringify(res.today)},\n  "settings": ${JSON.stringify(res.settings)},\n  "followups": [`;
  res.followups.forEach((f, i) => {
    const reasons = f.reasons.map((r) => ({ reason: r.reason, since: r.since, days: r.days, number: r.number, amount_cents: r.amountCents, currency: r.currency, text: describe(r) }));
    const item = { id: f.id, uid: f.uid, name: f.name, email: f.email, phone: f.phone, since: f.since, days: f.days, reasons };
    chunk += `${i > 0 ? ',' : ''}\n    ${JSON.stringify(item)}`;
    if (chunk.length > 1 << 16) {
      process.stdout.write(chunk);
      chunk = '';
    }
  });
  process.stdout.write(`${chunk}${res.followups.length > 0 ? '\n  ' : ''}]\n}\n`);
}

export function registerFollowups(program: Command): void {
  const cmd = program
    .command('followups')
    .description('who to chase today and why: unanswered quotes, overdue invoices, clients not heard of (oldest first)')
    .option('-n, --limit <n>', 'only the n oldest', parseIntOption('--limit'));
  examples(cmd, ['carnet followups', 'carnet followups --limit 10', 'carnet followups --json | jq -r \'.followups[].email\'', 'carnet category settings followup.quote_days 21']);
  cmd.action(async (opts: { limit?: number }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { listFollowups, describeFollowup } = await import('../../core/categorise/index.js');
      const res = listFollowups(ctx, { limit: opts.limit });
      if (g.json) return writeJson(res, describeFollowup);
      const p = paint(g, process.stdout);
      const lines = res.followups.flatMap((f) => {
        const contact = [f.email, f.phone].filter(Boolean).join('  ');
        return [`${f.since}  ${p.bold(`${String(f.days).padStart(4)} d`)}  ${f.id}  ${f.name}${contact ? `  ${contact}` : ''}`, ...f.reasons.map((r) => `      ${describeFollowup(r)}`)];
      });
      if (lines.length > 0) out(lines.join('\n'));
      say(g, `${res.followups.length} customer${res.followups.length === 1 ? '' : 's'} to follow up on ${res.today}`);
    });
  });
}
