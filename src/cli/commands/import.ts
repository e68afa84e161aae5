import type { Command } from 'commander';

/** Registers the import command group (built by its own issue). */
export function registerImport(_program: Command): void {
  // not built yet
}
