import type { Command } from 'commander';
import { collect, globalsOf, parseIntOption, withCtx } from '../context.js';
import { commaList, examples, SORT_HELP } from '../help.js';
import { formatOf, say, writeRows } from '../output.js';
import { KEY } from '../../core/fields/catalogue.js';

const TABLE_COLUMNS = ['id', 'name', KEY.email, KEY.phone, KEY.city, KEY.status];

export function registerList(program: Command): void {
  const cmd = program
    .command('list')
    .description('list customers: a table for people, --json/--nl/--csv for scripts')
    .option('-w, --where <expr>', 'filter, e.g. \'city = "Lyon" and revenue >= 1000\'')
    .option('-c, --category <name>', 'only this category (repeatable: all of them)', collect, [])
    .option('-s, --sort <fields>', SORT_HELP, commaList)
    .option('-n, --limit <n>', 'at most n customers', parseIntOption('--limit'))
    .option('--archived', 'include archived customers')
    .option('--nl', 'one JSON object per line (NDJSON)')
    .option('--csv', 'CSV with a header line');
  examples(cmd, ["carnet list --where 'city is empty' --nl", "carnet list --category VIP --sort -revenue --limit 20", "carnet list --where 'last_contact_at < -3y' --csv"]);
  cmd.action(async (opts: { where?: string; category: string[]; sort?: string[]; limit?: number; archived?: boolean; nl?: boolean; csv?: boolean }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const [{ listCustomers }, { displayNameOfRecord, phoneOfRecord }] = await Promise.all([import('../../core/customers/list.js'), import('../../core/customers/display.js')]);
      const res = listCustomers(ctx, { where: opts.where, categories: opts.category, sort: opts.sort, limit: opts.limit, includeArchived: opts.archived });
      const format = formatOf(g, opts);
      const rows =
        format === 'table'
          ? (function* () {
              for (const r of res.rows) yield { ...r, name: displayNameOfRecord(r), phone: phoneOfRecord(r) };
            })()
          : res.rows;
      const n = writeRows(format, res.columns, rows, TABLE_COLUMNS);
      if (format === 'table') say(g, `${n} customer${n === 1 ? '' : 's'}`);
    });
  });
}

export function registerSearch(program: Command): void {
  const cmd = program
    .command('search')
    .description('find customers by name, company, city or notes (accents and case ignored), or by e-mail: a whole address, its local part or @domain')
    .argument('<text...>', 'words to find (each must match the start of a word)')
    .option('-n, --limit <n>', 'at most n results', parseIntOption('--limit'), 50)
    .option('--nl', 'one JSON object per line')
    .option('--csv', 'CSV with a header line');
  examples(cmd, ['carnet search helene', 'carnet search dupont lyon --json', 'carnet search @orange.fr']);
  cmd.action(async (words: string[], opts: { limit: number; nl?: boolean; csv?: boolean }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const [{ searchCustomers }, { customerRecord, displayName }] = await Promise.all([import('../../core/customers/list.js'), import('../../core/customers/display.js')]);
      const found = searchCustomers(ctx, words.join(' '), opts.limit);
      const format = formatOf(g, opts);
      const records = found.map((cu) => ({ ...customerRecord(cu), name: displayName(cu) }));
      const columns = format === 'table' ? TABLE_COLUMNS : Object.keys(records[0] ?? { id: 0 }).filter((k) => k !== 'name');
      const n = writeRows(format, columns, records, TABLE_COLUMNS);
      if (format === 'table') say(g, `${n} found`);
    });
  });
}
