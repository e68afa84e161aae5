import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { collect, globalsOf, withCtx } from '../context.js';
import { commaList, examples, SORT_HELP } from '../help.js';
import { printJson, say, warn } from '../output.js';
import { formatFrom, summaryLines } from './export-render.js';
import { KEY } from '../../core/fields/catalogue.js';

interface ExportOpts {
  format?: string;
  preset?: string;
  where?: string;
  category: string[];
  ids?: boolean;
  sort?: string[];
  for?: string;
  columns?: string[];
  header: boolean;
  excel?: boolean;
  raw?: boolean;
  includeRestricted?: boolean;
  out?: string;
  nl?: boolean;
  csv?: boolean;
}


export function registerExport(program: Command): void {
  const cmd = program
    .command('export')
    .description('write customers as CSV, TSV, JSON, NDJSON, vCard, Excel (.xlsx) or LibreOffice (.ods), or for Brevo, Mailchimp, Google or Outlook; --for keeps only those who agreed')
    .addOption(new Option('-f, --format <format>', 'csv, tsv, json, ndjson, vcard, xlsx or ods (typed cells, frozen filterable header, never a formula); default: what the --out file\'s extension says, else csv').choices(['csv', 'tsv', 'json', 'ndjson', 'vcard', 'xlsx', 'ods']))
    .addOption(new Option('-p, --preset <tool>', 'a CSV that tool imports without mapping').choices(['brevo', 'mailchimp', 'google', 'outlook']))
    .option('-w, --where <expr>', 'filter, e.g. \'city = "Lyon" and revenue >= 1000\'')
    .option('-c, --category <name>', 'only this category (repeatable: all of them)', collect, [])
    .option('--ids', 'only the customer ids or uids read from stdin, one per line')
    .option('-s, --sort <fields>', SORT_HELP, commaList)
    .option('--for <purpose>', 'marketing[:email|sms|phone|post]: only those who may be contacted that way')
    .option('--columns <names>', 'columns in order: any list/filter field, name, categories, extra.KEY', commaList)
    .option('--no-header', 'no header line (csv, tsv)')
    .option('--excel', 'for French Excel: UTF-8 with BOM, ";" and CRLF')
    .option('--raw', 'do not neutralise cells a spreadsheet would run as formulas')
    .option('--include-restricted', 'also restricted and archived customers (not with --for)')
    .option('-o, --out <file>', 'write to FILE (mode 0600, replaced only when complete); - for stdout')
    .option('--nl', 'same as --format ndjson')
    .option('--csv', 'same as --format csv');
  examples(cmd, [
    'carnet export --preset brevo --for marketing:email --out brevo.csv',
    "carnet export --where 'city = \"Lyon\"' --for marketing:sms --preset brevo > sms-lyon.csv",
    `carnet export --category VIP --columns ${KEY.email},${KEY.firstName},${KEY.lastName},revenue --excel --out vip.csv`,
    'carnet export --format vcard --out carnet.vcf',
    'carnet export --format xlsx --where \'city = "Lyon"\' --out clients-lyon.xlsx',
    'carnet list --where \'status = client\' --csv | carnet export --ids --nl',
  ]);
  cmd.action(async (opts: ExportOpts, c: Command) => {
    const g = globalsOf(c);
    const format = formatFrom(g, opts);
    if (opts.ids && process.stdin.isTTY) throw new UsageError('--ids reads customer ids from stdin', 'pipe them in, e.g. cut -d, -f1 ids.csv | carnet export --ids');
    await withCtx(g, async (ctx) => {
      const { runExport } = await import('../../core/export/index.js');
      const r = await runExport(
        ctx,
        {
          format, preset: opts.preset, where: opts.where, categories: opts.category, ids: opts.ids ? process.stdin : undefined,
          sort: opts.sort, for: opts.for, columns: opts.columns, header: opts.header, excel: opts.excel, raw: opts.raw,
          includeRestricted: opts.includeRestricted, out: opts.out,
        },
        process.stdout,
      );
      if (r.closedEarly) return; // the reader went away (| head): nothing more to say
      for (const w of r.warnings) warn(g, w);
      if (g.json && r.out) printJson(r);
      else if (!g.quiet) for (const line of summaryLines(r)) say(g, line);
    });
  });
}
