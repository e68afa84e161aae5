import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { COMMANDS } from './commands/index.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('carnet')
    .description('Your customer file (fichier client) in one local SQLite file: import, dedupe, categorise, export, RGPD.')
    .version(version(), '-V, --version', 'print the version')
    .option('--db <path>', 'database file or postgres:// URL (default: $CARNET_DB, else $XDG_DATA_HOME/carnet/carnet.db)')
    .option('--schema <name>', 'PostgreSQL: the schema carnet lives in (default: the URL\'s ?schema=, else carnet)')
    .option('--json', 'print one JSON document on stdout')
    .option('-q, --quiet', 'print nothing on stderr but errors and warnings')
    .option('-y, --yes', 'answer yes: needed for destructive commands without a terminal')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .addOption(new Option('--debug', 'print stack traces with errors'))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .showHelpAfterError('(carnet --help lists the commands; carnet COMMAND --help shows one)')
    .showSuggestionAfterError(true)
    .helpCommand(true);
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok · 1 unexpected failure · 2 usage · 3 input rejected · 4 not found · 5 database busy or newer · 130 cancelled

Examples:
  $ carnet init
  $ carnet add --first-name Élodie --last-name Meyer --email elodie.meyer@sfr.fr
  $ carnet list --where 'city = "Lyon" and revenue >= 1000'
`,
  );
  for (const register of COMMANDS) register(program);
  return program;
}
