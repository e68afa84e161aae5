import type { Command } from 'commander';

/** Registers the categorise command group (built by its own issue). */
export function registerCategorise(_program: Command): void {
  // not built yet
}
