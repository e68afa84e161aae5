import type { Command } from 'commander';
import type { PurgePlan } from '../../core/rgpd/purge-plan.js';
import { globalsOf, interactive, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, printJson } from '../output.js';
import { countBar } from '../progress.js';
import { timed } from '../timed.js';
import { purgeSummary, purgeTable, speak } from './rgpd-render.js';

export function registerRgpdPurge(group: Command): void {
  const cmd = group
    .command('purge')
    .description('apply the retention rules: erase old prospects, archive former clients to their invoices, erase past the invoice retention')
    .option('--dry-run', 'list who and why, change nothing (the default without --yes when not in a terminal)');
  examples(cmd, ['carnet rgpd purge --dry-run', 'carnet rgpd purge --yes --json    # from cron', 'CARNET_NOW=2027-01-01 carnet rgpd purge --dry-run']);
  cmd.action(async (opts: { dryRun?: boolean }, c: Command) => {
    const g = globalsOf(c);
    const tty = interactive();
    const implied = !opts.dryRun && !g.yes && !tty;
    await withCtx(g, async (ctx) => {
      const { purge } = await import('../../core/rgpd/purge.js');
      const confirm = tty && !g.yes
        ? async (plan: PurgePlan) => {
            process.stderr.write(purgeTable(plan.items, plan.held) + '\n');
            const { confirm: ask } = await import('@inquirer/prompts');
            return ask({ message: `Apply the retention rules to ${plan.items.length === 1 ? 'this record' : `these ${plan.items.length} records`}? This cannot be undone.`, default: false }, { output: process.stderr });
          }
        : undefined;
      const bar = countBar(g, 'purging');
      const dryRun = Boolean(opts.dryRun) || implied;
      const r = await timed(ctx, 'purge', () => purge(ctx, { dryRun, confirm, onProgress: bar?.update }), (x) => `${x.counts.erased} erased, ${x.counts.archived} archived`, !dryRun).finally(() => bar?.stop());
      if (g.json) printJson(r);
      else {
        const table = purgeTable(r.items, r.held);
        if (table) out(table);
      }
      speak(g, purgeSummary(r, implied));
    });
  });
}
