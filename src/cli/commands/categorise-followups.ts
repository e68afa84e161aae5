import type { Command } from 'commander';
import { globalsOf, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, paint, printJson, say } from '../output.js';

export function registerFollowups(program: Command): void {
  const cmd = program
    .command('followups')
    .description('who to chase today and why: unanswered quotes, overdue invoices, clients not heard of (oldest first)');
  examples(cmd, ['carnet followups', 'carnet followups --json | jq -r \'.followups[].email\'', 'carnet category settings followup.quote_days 21']);
  cmd.action(async (_opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { listFollowups, describeFollowup } = await import('../../core/categorise/index.js');
      const res = listFollowups(ctx);
      if (g.json) {
        printJson({
          today: res.today,
          settings: res.settings,
          followups: res.followups.map((f) => ({
            id: f.id, uid: f.uid, name: f.name, email: f.email, phone: f.phone, since: f.since, days: f.days,
            reasons: f.reasons.map((r) => ({ reason: r.reason, since: r.since, days: r.days, number: r.number, amount_cents: r.amountCents, currency: r.currency, text: describeFollowup(r) })),
          })),
        });
        return;
      }
      const p = paint(g, process.stdout);
      const lines = res.followups.flatMap((f) => [
        `${f.since}  ${p.bold(`${String(f.days).padStart(4)} d`)}  ${f.id}  ${f.name}${f.email || f.phone ? `  ${[f.email, f.phone].filter(Boolean).join('  ')}` : ''}`,
        ...f.reasons.map((r) => `      ${describeFollowup(r)}`),
      ]);
      if (lines.length > 0) out(lines.join('\n'));
      say(g, `${res.followups.length} customer${res.followups.length === 1 ? '' : 's'} to follow up on ${res.today}`);
    });
  });
}
