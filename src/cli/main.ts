import { readFileSync } from 'node:fs';
import { AppError, ExitCode } from '../core/errors.js';
import { fsFailure, isMachineErrno } from '../io/fs-errors.js';
import { installInterrupt } from './interrupt.js';

/**
 * The one place where errors become exit codes and process.exit is called.
 * Data goes to stdout; this writes only to stderr.
 */
function report(err: unknown, debug: boolean): number {
  const e = err as { code?: unknown; name?: unknown } | null;
  if (e && typeof e.code === 'string' && e.code.startsWith('commander.')) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage; // commander already printed its message
  }
  if (e && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) {
    process.stderr.write('cancelled\n');
    return ExitCode.cancelled;
  }
  if (err instanceof AppError) {
    if (err.message === '') return err.exitCode;
    process.stderr.write(`error: ${err.message}${err.hint ? ` — ${err.hint}` : ''}\n`);
    if (debug && err.stack) process.stderr.write(err.stack + '\n');
    return err.exitCode;
  }
  if (e && e.code === 'EPIPE') return ExitCode.ok;
  if (isMachineErrno(err)) return report(fsFailure(err, (err as { path?: string }).path ?? 'a file', 'it', 'use'), debug);
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${msg} — this is a bug in carnet; run again with --debug and report the output\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  return ExitCode.failure;
}

async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  // A reader that stops early (`carnet export | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(ExitCode.ok);
    process.exit(ExitCode.failure);
  });
  // Ctrl-C: exit 130 with the file as before, or, once a change is committed, finish (src/cli/interrupt.ts).
  installInterrupt(() => process.exit(ExitCode.cancelled));
  // `carnet --version` is what scripts call most to probe: answer without loading commander.
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(pkg.version + '\n');
    return;
  }
  try {
    const { buildProgram } = await import('./program.js');
    const program = await buildProgram();
    await program.parseAsync(argv);
  } catch (err) {
    const code = report(err, debug);
    process.exit(code);
  }
}

await main(process.argv);
