import type { Command } from 'commander';
import { registerCategory } from './categorise-category.js';
import { registerFollowups } from './categorise-followups.js';
import { registerCategoriseRun } from './categorise-run.js';
import { registerStats } from './categorise-stats.js';
import { registerTags } from './categorise-tags.js';

/**
 * Registers the categorise group: `categorise` (alias `categorize`),
 * `category add|edit|list|rm|settings`, `tag`, `untag`, `followups`, `stats`.
 */
export function registerCategorise(program: Command): void {
  registerCategoriseRun(program);
  registerCategory(program);
  registerTags(program);
  registerFollowups(program);
  registerStats(program);
}
