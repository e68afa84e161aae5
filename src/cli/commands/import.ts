import { Option, type Command } from 'commander';
import { ExitCode, QuietExit, UsageError } from '../../core/errors.js';
import { KEY_MODES, ON_CONFLICTS, WHATS, type KeyMode, type OnConflict, type What } from '../../core/model.js';
import { collect, globalsOf, withCtx } from '../context.js';
import { examples } from '../help.js';
import { printJson } from '../output.js';
import { importJson, progressBar, renderImport } from './import-render.js';
import { timed } from '../timed.js';
import { stepTracer } from '../trace.js';
import { KEY } from '../../core/fields/catalogue.js';

interface ImportOpts {
  what: What;
  format: 'auto' | 'google' | 'outlook' | 'mailchimp' | 'brevo' | 'vcard' | 'carnet';
  map: string[];
  encoding?: string;
  delimiter?: string;
  key: KeyMode;
  onConflict: OnConflict;
  category: string[];
  source?: string;
  country?: string;
  rejects?: string;
  strict?: boolean;
  dryRun?: boolean;
  sheet?: string;
  headerRow?: number;
}

function positiveInt(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--header-row ${v}: not a row number`, 'give the row number the spreadsheet shows, e.g. --header-row 3');
  return Number(v);
}

/** Registers `carnet import`. */
export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .description('import customers (or their sales or interactions) from a CSV, Excel (.xlsx, .xls), LibreOffice (.ods) or vCard (.vcf) file, or stdin; re-importing the same file changes nothing')
    .argument('<file>', 'CSV, .xlsx/.xlsm, .xls, .ods or .vcf file (recognised by its content), or - for stdin')
    .addOption(new Option('--what <what>', 'what the file holds').choices(WHATS).default('customers'))
    .addOption(new Option('--format <format>', 'the export it comes from (auto recognises them; vcard for an address book, carnet for carnet\'s own export)').choices(['auto', 'google', 'outlook', 'mailchimp', 'brevo', 'vcard', 'carnet']).default('auto'))
    .option('--sheet <name|number>', 'workbook: the sheet to read (default: the first that holds a customer list)')
    .option('--header-row <n>', 'workbook: the row holding the column names (default: the first that looks like one)', positiveInt)
    .option('--map <col=field|FILE>', 'map a column to a field (repeatable), or a JSON file {"column": "field"}; field may be extra.NAME or ignore', collect, [])
    .option('--encoding <encoding>', 'file encoding (default: detected; e.g. utf-8, windows-1252)')
    .option('--delimiter <char>', 'delimiter (default: detected among ; , tab |)')
    .addOption(new Option('--key <key>', 'how rows find existing customers').choices(KEY_MODES).default('auto'))
    .addOption(new Option('--on-conflict <mode>', 'existing customer: update (file values win), fill (only empty fields), skip').choices(ON_CONFLICTS).default('update'))
    .option('--category <name>', 'put every imported customer in this category (repeatable)', collect, [])
    .option('--source <name>', 'where the file comes from (namespace of its external ids, e.g. shop, crm)')
    .option('--country <code>', 'country assumed for addresses and phones without one (e.g. FR)')
    .option('--rejects <file>', 'write rejected rows there (default: rejects/ beside the database)')
    .option('--strict', 'import nothing if any row is rejected')
    .option('--dry-run', 'show what would happen, write nothing');
  examples(cmd, [
    'carnet import clients.csv',
    'carnet import clients.xlsx --sheet Prospects --header-row 3',
    'carnet import contacts.vcf --category "Carnet d\'adresses"',
    'carnet import export-google.csv --format google --category "Carnet d\'adresses"',
    'carnet import ventes.csv --what sales',
    `carnet import febrl.csv --map rec_id=${KEY.externalId} --map soc_sec_id=extra.ssn --dry-run`,
    'curl -s https://crm.example/export.csv | carnet import - --source crm --json',
  ]);
  cmd.action(async (file: string, opts: ImportOpts, c: Command) => {
    const g = globalsOf(c);
    const bar = progressBar(g);
    const result = await withCtx(g, async (ctx) => {
      const { runImport } = await import('../../core/import/index.js');
      try {
        return await timed(ctx, 'import', () => runImport(
          ctx,
          {
            file, what: opts.what, format: opts.format, maps: opts.map, encoding: opts.encoding, delimiter: opts.delimiter,
            key: opts.key, onConflict: opts.onConflict, categories: opts.category, source: opts.source ?? null,
            country: opts.country ?? null, rejects: opts.rejects ?? null, strict: Boolean(opts.strict), dryRun: Boolean(opts.dryRun),
            sheet: opts.sheet ?? null, headerRow: opts.headerRow ?? null,
          },
          { onProgress: bar?.update, onApplying: bar?.applying, trace: stepTracer('import') },
        ), (r) => `${r.what}: ${r.read} rows`, !opts.dryRun);
      } finally {
        bar?.stop();
      }
    });
    if (g.json) printJson(importJson(result));
    renderImport(g, result);
    if (result.rejected > 0) throw new QuietExit(ExitCode.rejected);
  });
}
