import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { globalsOf, interactive, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, printJson, renderTable, say, warn } from '../output.js';

/** `carnet field add|list|rename|choices|remove`: fields of the user's own. */
export function registerField(program: Command): void {
  const group = program.command('field').description('fields of your own (typed columns beyond the built-in ones): add, list, rename, choices, remove');

  const add = group
    .command('add')
    .description("declare a field of your own; values already kept in extra under the same column name are adopted")
    .argument('<name>', 'the field\'s name, as your files write it (its key is derived: "Canal d\'acquisition" → canal_d_acquisition)')
    .requiredOption('--type <type>', 'text, number, date, bool or choice')
    .option('--choices <list>', 'the values of a choice field, comma-separated');
  examples(add, ['carnet field add "Canal d\'acquisition" --type choice --choices "Salon,Site web,Bouche à oreille"', 'carnet field add Potentiel --type number']);
  add.action(async (name: string, opts: { type: string; choices?: string }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { addCustomField } = await import('../../core/fields/manage.js');
      const r = addCustomField(ctx, { name, type: opts.type, choices: opts.choices?.split(',') });
      if (g.json) return printJson({ key: r.field.key, name: r.field.name, type: r.field.type, choices: r.field.choices, adopted: r.adopted, not_adopted: r.notAdopted });
      out(r.field.key);
      say(g, `added field '${r.field.name}' (key ${r.field.key}, ${r.field.type})${r.adopted > 0 ? `: ${r.adopted} value(s) adopted from extra` : ''}`);
      if (r.notAdopted.length > 0) {
        warn(g, `${r.notAdopted.length} value(s) do not fit and stay in extra:\n${r.notAdopted.slice(0, 10).map((n) => `    customer ${n.id}: ${n.reason}`).join('\n')}`);
      }
    });
  });

  const list = group.command('list').description('list the fields of your own: key, name, type, choices and how many customers have a value');
  examples(list, ['carnet field list', 'carnet field list --json']);
  list.action(async (_opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { listCustomFields } = await import('../../core/fields/manage.js');
      const rows = listCustomFields(ctx);
      if (g.json) return printJson(rows);
      if (rows.length === 0) return say(g, 'no field of your own yet: carnet field add NAME --type text|number|date|bool|choice');
      out(renderTable(['key', 'name', 'type', 'choices', 'filled'], rows.map((r) => ({ ...r, choices: r.choices.join(', ') }))));
    });
  });

  const rename = group
    .command('rename')
    .description('give a field of your own a new name (and the key derived from it); the values follow')
    .argument('<field>', 'its key or name')
    .argument('<new-name>', 'the new name');
  examples(rename, ['carnet field rename potentiel "Potentiel commercial"']);
  rename.action(async (ref: string, name: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { renameCustomField } = await import('../../core/fields/manage.js');
      const r = renameCustomField(ctx, ref, name);
      if (g.json) return printJson({ from: r.from.key, to: r.to.key, name: r.to.name });
      out(r.to.key);
      say(g, `renamed '${r.from.name}' (${r.from.key}) to '${r.to.name}' (${r.to.key})`);
    });
  });

  const choices = group
    .command('choices')
    .description("replace the values of a choice field; values in use keep their customers (spelled as the new list spells them), values kept in extra that now fit are adopted")
    .argument('<field>', 'its key or name')
    .argument('<list>', 'every value, comma-separated');
  examples(choices, ['carnet field choices canal_d_acquisition "Salon,Site web,Bouche à oreille,Radio"']);
  choices.action(async (ref: string, list: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { setCustomChoices } = await import('../../core/fields/manage.js');
      const r = setCustomChoices(ctx, ref, list.split(','));
      if (g.json) return printJson({ key: r.field.key, choices: r.field.choices, respelled: r.respelled, adopted: r.adopted, not_adopted: r.notAdopted });
      say(g, `'${r.field.name}' (${r.field.key}) takes ${r.field.choices.join(', ')}${r.respelled > 0 ? `; ${r.respelled} value(s) respelled` : ''}${r.adopted > 0 ? `; ${r.adopted} value(s) adopted from extra` : ''}`);
      if (r.notAdopted.length > 0) {
        warn(g, `${r.notAdopted.length} value(s) kept in extra still do not fit:\n${r.notAdopted.slice(0, 10).map((n) => `    customer ${n.id}: ${n.reason}`).join('\n')}`);
      }
    });
  });

  const remove = group
    .command('remove')
    .description('remove a field of your own; its values go back to extra under its name unless --drop')
    .argument('<field>', 'its key or name')
    .option('--drop', 'erase the values instead of keeping them in extra');
  examples(remove, ['carnet field remove potentiel --yes', 'carnet field remove potentiel --drop --yes']);
  remove.action(async (ref: string, opts: { drop?: boolean }, c: Command) => {
    const g = globalsOf(c);
    if (!g.yes && !interactive()) throw new UsageError('field remove changes every customer file and there is no terminal to confirm it', 'pass --yes to remove without asking');
    if (!g.yes) {
      const { confirm } = await import('@inquirer/prompts');
      const what = opts.drop ? 'and erase its values' : '(its values go back to extra)';
      if (!(await confirm({ message: `Remove the field '${ref}' ${what}?`, default: false }, { output: process.stderr }))) return say(g, 'nothing removed');
    }
    await withCtx(g, async (ctx) => {
      const { removeCustomField } = await import('../../core/fields/manage.js');
      const r = removeCustomField(ctx, ref, { drop: opts.drop === true });
      if (g.json) return printJson({ key: r.field.key, values: r.values, dropped: opts.drop === true });
      say(g, `removed field '${r.field.name}': ${r.values} value(s) ${opts.drop ? 'erased' : `kept in extra as '${r.field.name}'`}`);
    });
  });
}
