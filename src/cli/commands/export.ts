import type { Command } from 'commander';

/** Registers the export command group (built by its own issue). */
export function registerExport(_program: Command): void {
  // not built yet
}
