import type { Command } from 'commander';
import { globalsOf, withCtx } from '../context.js';
import { examples } from '../help.js';
import { printJson, say } from '../output.js';
import { countBar } from '../progress.js';

export function registerCopy(program: Command): void {
  const cmd = program
    .command('copy')
    .description('copy the whole database to TARGET: a new SQLite file or an empty PostgreSQL database, either way, in one transaction')
    .argument('<target>', 'new file, or postgres://… URL (?schema=NAME to choose the schema)');
  examples(cmd, ['carnet copy postgres://carnet@db.example.org/carnet', 'carnet --db postgres:///carnet copy ~/carnet-laptop.db']);
  cmd.action(async (target: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    const [{ resolveTarget }, { copyTo }] = await Promise.all([import('../../db/path.js'), import('../../core/copy.js')]);
    await withCtx(g, (ctx) => {
      const bar = countBar(g, 'copying');
      try {
        const r = copyTo(ctx, resolveTarget(target), bar?.update);
        bar?.stop();
        if (g.json) printJson(r);
        else say(g, `copied ${r.rows} rows of ${r.tables} tables to ${r.target}`);
      } finally {
        bar?.stop();
      }
    });
  });
}
