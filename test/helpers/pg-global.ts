import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each vitest worker's PGlite server puts its socket directory (engines.ts). */
    pgliteDir: string;
    /** The vitest process: the PGlite servers stop when it is gone. */
    vitestPid: number;
  }
}

/**
 * Once per `vitest run`: a folder for the PGlite servers, which engines.ts
 * starts lazily, one per worker process (engines.ts), the first time a test
 * of that slot needs PostgreSQL; stopped here at the end.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'carnet-pglite-'));
  project.provide('pgliteDir', dir);
  project.provide('vitestPid', process.pid);
  return () => {
    for (const slot of existsSync(dir) ? readdirSync(dir) : []) {
      const pidFile = join(dir, slot, 'pid');
      if (!existsSync(pidFile)) continue;
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
