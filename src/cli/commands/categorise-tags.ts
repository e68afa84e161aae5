import type { Command } from 'commander';
import { globalsOf, withCtx } from '../context.js';
import { examples, REF_HELP } from '../help.js';
import { printJson, say } from '../output.js';

export function registerTags(program: Command): void {
  const tag = program
    .command('tag')
    .description('put a customer in categories by hand (created if new); rules never remove manual tags')
    .argument('<ref>', REF_HELP)
    .argument('<category...>', 'one or more category names');
  examples(tag, ['carnet tag elodie.meyer@sfr.fr VIP', 'carnet tag 12 "Salon 2026" Référence']);
  tag.action(async (ref: string, names: string[], _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { tag: tagCustomer } = await import('../../core/categorise/index.js');
      const res = tagCustomer(ctx, ref, names);
      if (g.json) printJson(res);
      else {
        const parts = [res.added.length ? `tagged ${res.added.join(', ')}` : '', res.already.length ? `already in ${res.already.join(', ')}` : ''];
        say(g, `customer ${res.customer.id}: ${parts.filter(Boolean).join('; ')}`);
      }
    });
  });

  const untag = program
    .command('untag')
    .description('take a customer out of categories they were put in by hand or by import')
    .argument('<ref>', REF_HELP)
    .argument('<category...>', 'one or more category names');
  examples(untag, ['carnet untag elodie.meyer@sfr.fr VIP']);
  untag.action(async (ref: string, names: string[], _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { untag: untagCustomer } = await import('../../core/categorise/index.js');
      const res = untagCustomer(ctx, ref, names);
      if (g.json) printJson(res);
      else {
        const lines = [`customer ${res.customer.id}: ${res.removed.length ? `untagged ${res.removed.join(', ')}` : 'no manual tag to remove'}`];
        for (const s of res.stays) lines.push(`note: stays in ${s.name}, put there by ${s.by.join(' and ')}: it follows the data, change the rule or the data`);
        say(g, lines.join('\n'));
      }
    });
  });
}
