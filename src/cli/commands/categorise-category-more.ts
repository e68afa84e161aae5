import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { globalsOf, interactive, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, printJson, renderTable, say } from '../output.js';

export function registerCategoryList(group: Command): void {
  const list = group.command('list').description('list categories with their kind, member count and rule');
  examples(list, ['carnet category list', 'carnet category list --json']);
  list.action(async (_opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { listCategories } = await import('../../core/categorise/index.js');
      const cats = listCategories(ctx);
      if (g.json) {
        printJson(cats.map((x) => ({ name: x.name, kind: x.kind, members: x.members, by: x.byAssigner, rule: x.rule, description: x.description, created_at: x.createdAt })));
        return;
      }
      const rows = cats.map((x) => ({ ...x, 'rule / description': x.rule ?? x.description ?? '' }));
      if (rows.length > 0) out(renderTable(['name', 'kind', 'members', 'rule / description'], rows, { maxWidth: process.stdout.columns }));
      say(g, `${cats.length} categor${cats.length === 1 ? 'y' : 'ies'}`);
    });
  });
}

export function registerCategoryRm(group: Command): void {
  const rm = group
    .command('rm')
    .description('delete a category with its rule and every membership (asks; --yes without a terminal)')
    .argument('<name>', 'category name');
  examples(rm, ['carnet category rm "Salon 2024"', 'carnet --yes category rm "Salon 2024"']);
  rm.action(async (name: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { describeCategory, removeCategory } = await import('../../core/categorise/index.js');
      const cat = describeCategory(ctx, name);
      if (!g.yes) {
        if (!interactive()) throw new UsageError(`category rm deletes '${cat.name}' and its ${cat.members} membership(s): confirm with --yes`, `carnet --yes category rm "${cat.name}"`);
        const { confirm } = await import('@inquirer/prompts');
        const ok = await confirm({ message: `Delete category '${cat.name}' (${cat.kind}, ${cat.members} member${cat.members === 1 ? '' : 's'})?`, default: false }, { output: process.stderr });
        if (!ok) return say(g, 'nothing deleted');
      }
      const gone = removeCategory(ctx, name);
      if (g.json) printJson({ removed: gone.name, kind: gone.kind, members: gone.members });
      else say(g, `deleted category '${gone.name}' (${gone.members} member${gone.members === 1 ? '' : 's'} untagged)`);
    });
  });
}

export function registerCategorySettings(group: Command): void {
  const settings = group
    .command('settings')
    .description('show or change the lifecycle, follow-up and stats settings (whole numbers; "default" resets)')
    .argument('[key]', 'e.g. followup.quote_days')
    .argument('[value]', 'new value');
  examples(settings, ['carnet category settings', 'carnet category settings followup.quote_days 21', 'carnet category settings lifecycle.former_after_months default']);
  settings.action(async (key: string | undefined, value: string | undefined, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { listSettings, setSetting } = await import('../../core/categorise/index.js');
      if (key !== undefined && value === undefined) throw new UsageError(`give a value for ${key}`, `e.g. carnet category settings ${key} 30`);
      const rows = key !== undefined && value !== undefined ? [setSetting(ctx, key, value)] : listSettings(ctx);
      if (g.json) printJson(Object.fromEntries(rows.map((s) => [s.key, s.value])));
      else out(renderTable(['key', 'value', 'default', 'description'], rows.map((s) => ({ ...s }))));
    });
  });
}
