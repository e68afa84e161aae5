import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { globalsOf, parseIntOption, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, printJson, renderTable, say } from '../output.js';

function mergeNumber(v: string): number {
  const n = Number(v.replace(/^#/, ''));
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`'${v}' is not a merge number`, 'carnet dedupe history lists them');
  return n;
}

export function registerDedupeUndo(parent: Command): void {
  const cmd = parent
    .command('undo')
    .description('undo a merge: the merged customers come back exactly as they were (ids, values, links)')
    .argument('<merge>', 'merge number, as shown by carnet dedupe history')
    .option('--force', 'undo even if the surviving customer was edited since (those edits are lost)');
  examples(cmd, ['carnet dedupe undo 12', 'carnet dedupe undo 12 --force']);
  cmd.action(async (merge: string, opts: { force?: boolean }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { undoMerge } = await import('../../core/dedupe/undo.js');
      const res = undoMerge(ctx, mergeNumber(merge), { force: opts.force });
      if (g.json) printJson(res);
      else say(g, `undid merge #${res.mergeId}: ${res.restored.map((r) => r.id).join(', ')} restored beside ${res.survivor.id}`);
    });
  });
}

export function registerDedupeHistory(parent: Command): void {
  const cmd = parent
    .command('history')
    .description('list the merges dedupe made, newest first')
    .option('-n, --limit <n>', 'at most n merges', parseIntOption('--limit'), 100);
  examples(cmd, ['carnet dedupe history', 'carnet dedupe history --json']);
  cmd.action(async (opts: { limit: number }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { mergeHistory } = await import('../../core/dedupe/history.js');
      const list = mergeHistory(ctx, opts.limit);
      if (g.json) return printJson({ merges: list });
      const rows = list.map((m) => ({ merge: m.id, at: m.merged_at.slice(0, 19).replace('T', ' '), by: m.decided_by, score: m.score ?? '', kept: m.survivor_id, merged: m.merged_ids.join(', '), undone: m.undone_at ? m.undone_at.slice(0, 10) : '' }));
      if (rows.length > 0) out(renderTable(['merge', 'at', 'by', 'score', 'kept', 'merged', 'undone'], rows, { maxWidth: process.stdout.columns }));
      say(g, `${rows.length} merge${rows.length === 1 ? '' : 's'}`);
    });
  });
}

export function registerDedupeDistinct(parent: Command): void {
  const cmd = parent
    .command('distinct')
    .description('record that customers are different people: dedupe never proposes them together again')
    .argument('<ids...>', 'customer ids (two or more)');
  examples(cmd, ['carnet dedupe distinct 12 48']);
  cmd.action(async (ids: string[], _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    const nums = ids.map((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`'${v}' is not a customer id`);
      return n;
    });
    await withCtx(g, async (ctx) => {
      const { markDistinct } = await import('../../core/dedupe/decisions.js');
      const res = markDistinct(ctx, nums);
      if (g.json) printJson(res);
      else say(g, `remembered: ${nums.join(', ')} are different people (${res.pairs} new pair${res.pairs === 1 ? '' : 's'})`);
    });
  });
}
