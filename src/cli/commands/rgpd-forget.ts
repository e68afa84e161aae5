import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { ForgetPreview } from '../../core/rgpd/forget.js';
import { globalsOf, interactive, withCtx } from '../context.js';
import { examples, REF_HELP } from '../help.js';
import { printJson } from '../output.js';
import { forgetLines, forgetPreviewText, speak } from './rgpd-render.js';

export function registerRgpdForget(group: Command): void {
  const cmd = group
    .command('forget')
    .description('erase a person everywhere (right to erasure), keeping only invoices under legal retention; leaves no trace in the file')
    .argument('<ref>', `${REF_HELP} (a contact person's e-mail erases that person only)`);
  examples(cmd, ['carnet rgpd forget elodie.meyer@sfr.fr', 'carnet rgpd forget 12 --yes --json']);
  cmd.action(async (ref: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    const tty = interactive();
    if (!g.yes && !tty) {
      throw new UsageError('rgpd forget erases a person for good and there is no terminal to confirm it', 'pass --yes to erase without asking');
    }
    await withCtx(g, async (ctx) => {
      const { forget } = await import('../../core/rgpd/forget.js');
      const confirm = g.yes
        ? undefined
        : async (p: ForgetPreview) => {
            process.stderr.write(forgetPreviewText(p) + '\n');
            const { confirm: ask } = await import('@inquirer/prompts');
            return ask({ message: 'Erase? This cannot be undone.', default: false }, { output: process.stderr });
          };
      const r = await forget(ctx, ref, { confirm });
      if (g.json) printJson(r);
      speak(g, forgetLines(r));
    });
  });
}
