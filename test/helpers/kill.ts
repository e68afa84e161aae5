import { spawn } from 'node:child_process';
import { BIN, ROOT } from './cli.js';

export interface KillRun {
  killed: boolean;
  code: number | null;
  stderr: string;
  ms: number;
}

/** Starts carnet and SIGKILLs it after delayMs (if still running): a power cut in the middle of the work. */
export function runAndKill(args: string[], env: Record<string, string>, delayMs: number): Promise<KillRun> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CI: 'true', ...env } });
    let stderr = '';
    let killed = false;
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.resume();
    const timer = setTimeout(() => {
      killed = p.exitCode === null && p.kill('SIGKILL');
    }, delayMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ killed, code, stderr, ms: Date.now() - t0 });
    });
  });
}
