import type { Command } from 'commander';
import { globalsOf, withCtx } from '../context.js';
import { examples } from '../help.js';
import { printJson, say } from '../output.js';
import { registerCategoryList, registerCategoryRm, registerCategorySettings } from './categorise-category-more.js';

export function registerCategory(program: Command): void {
  const group = program.command('category').description('categories: by hand (tag/untag) or by rule (recomputed by categorise)');
  examples(group, ['carnet category list', 'carnet category add "Lyon" --rule \'department = "69"\'']);

  const add = group
    .command('add')
    .description('create a category, by hand or with a rule in the filter language')
    .argument('<name>', 'category name (e.g. VIP, "Gros clients")')
    .option('-r, --rule <expr>', 'membership rule, e.g. \'department = "69" and revenue >= 5000\'')
    .option('-d, --description <text>', 'what the category is for');
  examples(add, ['carnet category add VIP --description "references I can quote"', 'carnet category add "Lyon gros" --rule \'department = "69" and revenue >= 5000\'']);
  add.action(async (name: string, opts: { rule?: string; description?: string }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { addCategory } = await import('../../core/categorise/index.js');
      const res = addCategory(ctx, { name, rule: opts.rule, description: opts.description });
      if (g.json) printJson({ ...res.category, notes: res.notes });
      else say(g, [`created category '${res.category.name}' (${res.category.kind})`, ...res.notes.map((n) => `note: ${n}`)].join('\n'));
    });
  });

  const edit = group
    .command('edit')
    .description('change the rule or the description of a category (--no-rule makes it manual again)')
    .argument('<name>', 'category name')
    .option('-r, --rule <expr>', 'new membership rule')
    .option('--no-rule', 'remove the rule: its members by rule leave, manual tags stay')
    .option('-d, --description <text>', 'new description ("" clears it)');
  examples(edit, ['carnet category edit "Lyon gros" --rule \'department = "69" and revenue >= 10000\'', 'carnet category edit VIP --description "clients I can quote"']);
  edit.action(async (name: string, opts: { rule?: string | boolean; description?: string }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { editCategory } = await import('../../core/categorise/index.js');
      // commander gives rule=true when neither --rule nor --no-rule was typed.
      const rule = opts.rule === true ? undefined : opts.rule === false ? null : opts.rule;
      const res = editCategory(ctx, { name, rule, description: opts.description });
      if (g.json) printJson({ ...res.category, notes: res.notes });
      else say(g, [`updated category '${res.category.name}' (${res.category.kind})`, ...res.notes.map((n) => `note: ${n}`)].join('\n'));
    });
  });

  registerCategoryList(group);
  registerCategoryRm(group);
  registerCategorySettings(group);
}
