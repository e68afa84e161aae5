import type { Command } from 'commander';
import { globalsOf, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, printJson, say, warn } from '../output.js';

export function registerRgpdPolicy(group: Command): void {
  const policy = group.command('policy').description('show or change the retention rules (stored in the database)');
  examples(policy, ['carnet rgpd policy', 'carnet rgpd policy set prospect 3y']);

  const show = policy.command('show', { isDefault: true }).description('show the retention rules in force, with their defaults and meaning');
  examples(show, ['carnet rgpd policy show', 'carnet rgpd policy --json']);
  show.action(async (_opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { showPolicy } = await import('../../core/rgpd/policy.js');
      const entries = showPolicy(ctx);
      if (g.json) printJson(Object.fromEntries(entries.map((e) => [e.key, e.value])));
      else out(entries.map((e) => `${e.key.padEnd(19)} ${`${e.value || '(unset)'}${e.isDefault ? '' : ' *'}`.padEnd(8)} ${e.meaning}`).join('\n'));
      if (!g.json && entries.some((e) => !e.isDefault)) say(g, '* changed from the default (carnet rgpd policy set KEY default puts it back)');
    });
  });

  const set = policy
    .command('set')
    .description('change one retention rule: prospect, client-marketing, invoices, inactive-anonymise, rejects (durations like 3y, 18m, 90d) or controller')
    .argument('<key>', 'prospect | client-marketing | invoices | inactive-anonymise | rejects | controller')
    .argument('<value>', 'a duration (3y, 18m, 90d), off (inactive-anonymise), default, or the controller text');
  examples(set, ['carnet rgpd policy set prospect 3y', 'carnet rgpd policy set inactive-anonymise 5y', 'carnet rgpd policy set controller "Élodie Meyer EI, 12 rue des Lilas 69003 Lyon, contact@meyer.fr"']);
  set.action(async (key: string, value: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { setPolicy } = await import('../../core/rgpd/policy.js');
      const r = setPolicy(ctx, key, value);
      for (const w of r.warnings) warn(g, w);
      if (g.json) printJson(r);
      else say(g, `${r.key}: ${r.previous || '(unset)'} → ${r.value || '(unset)'}`);
    });
  });
}
