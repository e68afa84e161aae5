import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { globalsOf, interactive, withCtx } from '../context.js';
import { timed } from '../timed.js';
import { examples } from '../help.js';
import { printJson, say } from '../output.js';
import { renderAuto, renderClusters, writeJsonClusters, restrictedNote } from './dedupe-render.js';
import { registerDedupeHistory, registerDedupeUndo, registerDedupeDistinct } from './dedupe-history.js';
import { registerDedupeIdentifier } from './dedupe-identifier.js';

interface DedupeOpts {
  dryRun?: boolean;
  auto?: boolean;
  threshold?: number;
  explain?: boolean;
  archived?: boolean;
}

function parseThreshold(v: string): number {
  const n = Number(v.replace(',', '.'));
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new UsageError(`--threshold must be a number between 0 and 1, not '${v}'`, 'for example --threshold 0.95');
  return n;
}

/** Registers the dedupe command group. */
export function registerDedupe(program: Command): void {
  const cmd = program
    .command('dedupe')
    .description('find customers written more than once, review them one cluster at a time and merge (undoable)')
    .option('-n, --dry-run', 'list the clusters found, change nothing')
    .option('--auto', 'merge every cluster at or above the threshold without asking')
    .option('-t, --threshold <p>', 'match probability a cluster needs, between 0 and 1 (default 0.9)', parseThreshold)
    .option('--explain', "show, for each pair, each field's contribution to the score")
    .option('--archived', 'include archived customers')
    .addHelpText('after', '\nIdentifiers of your own (a customer number from another system, a membership or VAT number):\ndeclare them with carnet dedupe identifier add NAME; equal values then count strongly for a match,\ndifferent values strongly against.');
  examples(cmd, ['carnet dedupe', 'carnet dedupe --dry-run --explain', 'carnet dedupe --dry-run --json | jq ".clusters | length"', 'carnet dedupe --auto --threshold 0.97']);
  registerDedupeUndo(cmd);
  registerDedupeHistory(cmd);
  registerDedupeDistinct(cmd);
  registerDedupeIdentifier(cmd);
  cmd.action(async (opts: DedupeOpts, c: Command) => {
    const g = globalsOf(c);
    const tty = interactive();
    if (!opts.dryRun && !opts.auto && !tty) {
      throw new UsageError('carnet dedupe asks before merging, and there is no terminal to ask in', 'use --dry-run to list the duplicates, or --auto to merge those above the threshold');
    }
    if (opts.dryRun && opts.auto) throw new UsageError('--dry-run and --auto contradict each other', 'pick one');
    await withCtx(g, async (ctx) => {
      const find = { threshold: opts.threshold, explain: opts.explain, includeArchived: opts.archived, onPhase: tty && !g.quiet && !g.json ? (p: string) => say(g, `${p}…`) : undefined };
      if (opts.auto) {
        const { autoMerge } = await import('../../core/dedupe/auto.js');
        const res = await timed(ctx, 'dedupe --auto', () => autoMerge(ctx, find), (r) => `${r.merges.length} merges`);
        if (g.json) printJson({ merged: res.merges, clusters: res.found.clusters.length, threshold: res.found.threshold, restricted_skipped: res.found.restricted });
        else renderAuto(g, res);
        return;
      }
      const { findDuplicates } = await import('../../core/dedupe/find.js');
      const found = findDuplicates(ctx, find);
      if (opts.dryRun) {
        if (g.json) writeJsonClusters(found, Boolean(opts.explain));
        else renderClusters(g, found, Boolean(opts.explain));
        return;
      }
      const { reviewClusters } = await import('./dedupe-review.js');
      restrictedNote(g, found.restricted);
      await reviewClusters(ctx, g, found);
    });
  });
}
