import type { Ctx } from '../../core/context.js';
import type { FindResult } from '../../core/dedupe/find.js';
import type { ClusterDetail } from '../../core/dedupe/review.js';
import type { GlobalOpts } from '../context.js';
import { pad, paint, say, textWidth } from '../output.js';

type Action = 'merge' | 'choose' | 'distinct' | 'skip' | 'quit';

/** The records side by side, one line per field; differing values highlighted, the value a merge keeps in bold. */
export function sideBySide(g: GlobalOpts, d: ClusterDetail, width = process.stderr.columns || 120): string {
  const p = paint(g);
  const labelW = Math.min(16, Math.max(...d.fields.map((f) => f.field.length), 6));
  const colW = Math.max(12, Math.floor((width - labelW - 2) / d.records.length) - 2);
  const clip = (s: string): string => (textWidth(s) <= colW ? s : `${[...s].slice(0, colW - 1).join('')}…`);
  const head = d.records.map((r) => pad(clip(`#${r.id}${r.id === d.survivorId ? ' (kept)' : ''}${r.restrictedAt ? ' RESTRICTED' : ''}`), colW)).join('  ');
  const lines = [`${' '.repeat(labelW)}  ${p.bold(head)}`];
  for (const f of d.fields) {
    const cells = f.values.map((v, i) => {
      const text = pad(clip(v ?? '·'), colW);
      if (!f.differs) return p.dim(text);
      return i === f.keeps ? p.bold.yellow(text) : p.yellow(text);
    });
    lines.push(`${pad(f.field, labelW)}  ${cells.join('  ')}`);
  }
  return lines.join('\n');
}

async function chooseValues(d: ClusterDetail): Promise<Record<string, number>> {
  const { select } = await import('@inquirer/prompts');
  const choices: Record<string, number> = {};
  for (const f of d.fields) {
    if (!f.differs || f.keeps < 0) continue;
    const options = d.records.map((r, i) => ({ value: r.id, name: `${f.values[i] ?? '(empty)'}  — from #${r.id}` }));
    choices[f.field] = await select({ message: `${f.field}: which value stays?`, choices: options, default: d.records[f.keeps]?.id });
  }
  return choices;
}

/** One cluster at a time: merge, merge choosing values, not the same (remembered), skip, quit. */
export async function reviewClusters(ctx: Ctx, g: GlobalOpts, found: FindResult): Promise<void> {
  const [{ select }, { clusterDetail }, { mergeCustomers }, { markDistinct }] = await Promise.all([
    import('@inquirer/prompts'),
    import('../../core/dedupe/review.js'),
    import('../../core/dedupe/merge.js'),
    import('../../core/dedupe/decisions.js'),
  ]);
  const p = paint(g);
  const tally = { merged: 0, distinct: 0, skipped: 0 };
  const total = found.clusters.length;
  if (total === 0) say(g, `no duplicates found among ${found.considered} customers (threshold ${found.threshold})`);
  for (const [k, cluster] of found.clusters.entries()) {
    const ids = cluster.members.map((m) => m.id);
    const d = clusterDetail(ctx, ids);
    process.stderr.write(`\n${p.bold(`Cluster ${k + 1} of ${total}`)} — match probability ${cluster.score.toFixed(2)}\n${sideBySide(g, d)}\n`);
    const choices: { value: Action; name: string }[] = d.restricted.length > 0 ? [] : [
      { value: 'merge', name: 'merge (keep the values in bold)' },
      { value: 'choose', name: 'merge, choosing the values field by field' },
    ];
    if (d.restricted.length > 0) say(g, p.red(`record ${d.restricted.join(', ')} is restricted (RGPD art. 18): it cannot be merged`));
    choices.push({ value: 'distinct', name: 'not the same (never proposed again)' }, { value: 'skip', name: 'skip for now' }, { value: 'quit', name: 'quit' });
    const action = await select<Action>({ message: 'What should carnet do?', choices });
    if (action === 'quit') break;
    if (action === 'skip') tally.skipped++;
    else if (action === 'distinct') {
      markDistinct(ctx, ids);
      tally.distinct++;
    } else {
      const picked = action === 'choose' ? await chooseValues(d) : {};
      const res = mergeCustomers(ctx, { ids, choices: picked, score: cluster.score, decidedBy: 'person' });
      tally.merged++;
      say(g, p.green(`merged into #${res.survivor.id} (merge #${res.mergeId}; carnet dedupe undo ${res.mergeId} reverts it)`));
    }
  }
  say(g, `${tally.merged} merged, ${tally.distinct} marked not the same, ${tally.skipped} skipped`);
}

