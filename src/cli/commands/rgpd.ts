import type { Command } from 'commander';

/** Registers the rgpd command group (built by its own issue). */
export function registerRgpd(_program: Command): void {
  // not built yet
}
