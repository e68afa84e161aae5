import type { Command } from 'commander';
import { globalsOf, parseIntOption, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, printJson, say } from '../output.js';
import { stepLine } from '../progress.js';
import { timed } from '../timed.js';
import { stepTracer } from '../trace.js';
import { changesText, reportJson, summaryText } from './categorise-render.js';

export function registerCategoriseRun(program: Command): void {
  const cmd = program
    .command('categorise')
    .alias('categorize')
    .description('recompute statuses, the "à relancer" follow-ups, RFM segments and rule categories (manual tags stay)')
    .option('--dry-run', 'show who would change status, enter and leave each category; write nothing')
    .option('-n, --limit <n>', 'with --dry-run: name at most n customers per category and direction (default 10; --json: all)', parseIntOption('--limit'));
  examples(cmd, ['carnet categorise', 'carnet categorise --dry-run', 'carnet categorise --dry-run --json | jq \'.categories[] | {name, entered, left}\'']);
  cmd.action(async (opts: { dryRun?: boolean; limit?: number }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { categorise } = await import('../../core/categorise/index.js');
      const dryRun = opts.dryRun ?? false;
      const sample = dryRun ? (opts.limit ?? (g.json ? null : 10)) : 0;
      const tracer = stepTracer('categorise');
      const line = stepLine(g, 'categorising');
      const trace = (step: string) => {
        tracer?.(step);
        line?.step(step);
      };
      const report = await timed(ctx, 'categorise', () => categorise(ctx, { dryRun, sample, trace }), (r) => `${r.customers.considered} customers`, !dryRun).finally(() => line?.stop());
      if (g.json) printJson(reportJson(report));
      else {
        if (dryRun) out(changesText(report));
        say(g, summaryText(report));
      }
    });
  });
}
