import type { Command } from 'commander';
import { globalsOf, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, printJson, say } from '../output.js';
import { KEY } from '../../core/fields/catalogue.js';

const describe = (d: { name: string; field: string | null }): string => (d.field ? `${d.name} (the ${d.field} field)` : `${d.name} (an imported column kept in extra)`);

/** carnet dedupe identifier add|list|remove: identifiers of the user's own, used for matching. */
export function registerDedupeIdentifier(parent: Command): void {
  const group = parent
    .command('identifier')
    .description("declare a column that identifies a customer (a number from another system, a membership or VAT number): equal values count strongly for a match, different values strongly against");
  examples(group, ['carnet dedupe identifier add "N° adhérent"', `carnet dedupe identifier add ${KEY.vatNumber}`, 'carnet dedupe identifier list', 'carnet dedupe identifier remove "N° adhérent"']);

  const add = group
    .command('add')
    .description(`declare an identifier: a built-in field (${KEY.externalId}, ${KEY.vatNumber}) or the name of an imported column kept in extra`)
    .argument('<name>', 'field or column name, as in the imported file ("N° adhérent")');
  examples(add, ['carnet dedupe identifier add "N° adhérent"', `carnet dedupe identifier add ${KEY.externalId}`]);
  add.action(async (name: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { addIdentifier } = await import('../../core/dedupe/identifiers.js');
      const d = addIdentifier(ctx, name);
      if (g.json) printJson(d);
      else say(g, `dedupe now matches on ${describe(d)}`);
    });
  });

  const list = group.command('list').description('list the declared identifiers');
  examples(list, ['carnet dedupe identifier list', 'carnet dedupe identifier list --json']);
  list.action(async (_opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { listIdentifiers } = await import('../../core/dedupe/identifiers.js');
      const all = listIdentifiers(ctx);
      if (g.json) return printJson({ identifiers: all });
      for (const d of all) out(describe(d));
      say(g, `${all.length} identifier${all.length === 1 ? '' : 's'} declared`);
    });
  });

  const remove = group.command('remove').description('stop using a declared identifier for matching').argument('<name>', 'as declared');
  examples(remove, ['carnet dedupe identifier remove "N° adhérent"']);
  remove.action(async (name: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { removeIdentifier } = await import('../../core/dedupe/identifiers.js');
      const d = removeIdentifier(ctx, name);
      if (g.json) printJson(d);
      else say(g, `dedupe no longer matches on ${d.name}`);
    });
  });
}
