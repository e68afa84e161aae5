import { UsageError } from '../../core/errors.js';
import type { ExportResult, LeftOutReason } from '../../core/export/types.js';
import { REASON_LABELS } from '../../core/export/types.js';
import type { GlobalOpts } from '../context.js';

export interface ExportFlags {
  format?: string;
  preset?: string;
  nl?: boolean;
  csv?: boolean;
  out?: string;
}

/**
 * --nl and --csv are the shorthands `list` has; the global --json means a
 * JSON array on stdout — or, when the data goes to a file (--out), the
 * summary as JSON for scripts.
 */
export function formatFrom(g: GlobalOpts, o: ExportFlags): string | undefined {
  const toFile = o.out !== undefined && o.out !== '-';
  const asked = [o.format, o.nl ? 'ndjson' : undefined, o.csv ? 'csv' : undefined, g.json && !toFile ? 'json' : undefined].filter(
    (f): f is string => f !== undefined,
  );
  const distinct = [...new Set(asked.map((f) => f.toLowerCase()))];
  if (distinct.length > 1) throw new UsageError(`two output formats asked: ${distinct.join(' and ')}`, 'choose one --format');
  return distinct[0];
}

/** 12345 → "12,345" (without toLocaleString, whose ICU start-up costs more than a small export). */
const thousands = (x: number): string => String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const n = (x: number, one: string, many = `${one}s`): string => `${thousands(x)} ${x === 1 ? one : many}`;

/** The lines said on stderr after an export: what went where, and who was left out and why. */
export function summaryLines(r: ExportResult): string[] {
  const what = `${r.format}${r.preset ? `, ${r.preset}` : ''}`;
  const cards = r.format === 'vcard' && r.contactCards > 0 ? ` and ${n(r.contactCards, 'contact card')}` : '';
  const lines = [`exported ${n(r.exported, 'customer')}${cards} (${what})${r.out ? ` to ${r.out}` : ''}${r.channels ? ` for marketing by ${r.channels.join(' or ')}` : ''}`];
  if (r.leftOutTotal > 0) {
    const reasons = (Object.entries(r.leftOut) as [LeftOutReason, number][])
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${thousands(v)} ${REASON_LABELS[k]}`)
      .join(', ');
    const hint = r.channels ? '' : ' (--include-restricted to include them)';
    lines.push(`left out ${thousands(r.leftOutTotal)}: ${reasons}${hint}`);
  }
  for (const [ch, count] of Object.entries(r.withheld)) {
    lines.push(`${ch}: contact data left empty for ${n(count ?? 0, 'customer')} who may not be reached that way`);
  }
  return lines;
}
