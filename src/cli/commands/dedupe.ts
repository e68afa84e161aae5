import type { Command } from 'commander';

/** Registers the dedupe command group (built by its own issue). */
export function registerDedupe(_program: Command): void {
  // not built yet
}
