import { CommanderError } from 'commander';
import { AppError, ExitCode } from '../core/errors.js';
import { buildProgram } from './program.js';

/**
 * The one place where errors become exit codes and process.exit is called.
 * Data goes to stdout; this writes only to stderr.
 */
function report(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage; // commander already printed its message
  }
  const e = err as { code?: unknown; name?: unknown } | null;
  if (e && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) {
    process.stderr.write('cancelled\n');
    return ExitCode.cancelled;
  }
  if (err instanceof AppError) {
    process.stderr.write(`error: ${err.message}${err.hint ? ` — ${err.hint}` : ''}\n`);
    if (debug && err.stack) process.stderr.write(err.stack + '\n');
    return err.exitCode;
  }
  if (e && e.code === 'EPIPE') return ExitCode.ok;
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
  process.on('SIGINT', () => process.exit(ExitCode.cancelled));
  try {
    const program = await buildProgram();
    await program.parseAsync(argv);
  } catch (err) {
    const code = report(err, debug);
    process.exit(code);
  }
}

await main(process.argv);
