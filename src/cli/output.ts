import chalk, { Chalk, type ChalkInstance } from 'chalk';
import type { GlobalOpts } from './context.js';
import { CellKind, csvLineEncoder } from '../io/write-csv.js';

/** Colour only for a person at a terminal: never when piped, with NO_COLOR, or --no-color. */
export function paint(g: GlobalOpts, stream: NodeJS.WriteStream = process.stderr): ChalkInstance {
  const on = g.color !== false && !process.env.NO_COLOR && Boolean(stream.isTTY) && process.env.TERM !== 'dumb';
  return on ? new Chalk({ level: chalk.level || 1 }) : new Chalk({ level: 0 });
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

/** Talk for the person: summaries, notes. Silenced by --quiet. */
export function say(g: GlobalOpts, text: string): void {
  if (!g.quiet) process.stderr.write(text.endsWith('\n') ? text : text + '\n');
}

/** Warnings are never silenced: they say something went differently than asked. */
export function warn(g: GlobalOpts, text: string): void {
  process.stderr.write(`${paint(g).yellow('warning:')} ${text}\n`);
}

export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

export function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Width of a string in terminal columns (combining marks take none, CJK and emoji two). */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (/\p{Mn}|\p{Me}|\p{Cf}/u.test(ch)) continue;
    w += cp >= 0x1100 && /\p{Extended_Pictographic}|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  }
  return w;
}

export function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - textWidth(s)));
}

function clip(s: string, width: number): string {
  if (textWidth(s) <= width) return s;
  let outStr = '';
  for (const ch of s) {
    if (textWidth(outStr + ch) > width - 1) break;
    outStr += ch;
  }
  return outStr + '…';
}

/** A plain aligned table for people; long cells are clipped to fit the terminal. */
export function renderTable(columns: readonly string[], rows: readonly Record<string, unknown>[], opts: { maxWidth?: number } = {}): string {
  const maxCell = 40;
  const cells = rows.map((r) => columns.map((c) => clip(cell(r[c]).replace(/\s+/g, ' '), maxCell)));
  const widths = columns.map((c, i) => Math.max(textWidth(c), ...cells.map((row) => textWidth(row[i] ?? ''))));
  const lines = [columns.map((c, i) => pad(c.toUpperCase(), widths[i] ?? 0)).join('  ')];
  for (const row of cells) lines.push(row.map((v, i) => pad(v, widths[i] ?? 0)).join('  ').trimEnd());
  const limit = opts.maxWidth;
  return lines.map((l) => (limit && textWidth(l) > limit ? clip(l, limit) : l)).join('\n');
}

export type RowFormat = 'table' | 'json' | 'nl' | 'csv';

/** Writes rows as a table, one JSON array, NDJSON or CSV; rows are streamed except for the table. */
export function writeRows(format: RowFormat, columns: readonly string[], rows: Iterable<Record<string, unknown>>, tableColumns?: readonly string[]): number {
  let n = 0;
  if (format === 'table') {
    const all = [...rows];
    n = all.length;
    if (n > 0) out(renderTable(tableColumns ?? columns, all, { maxWidth: process.stdout.columns }));
    return n;
  }
  if (format === 'json') process.stdout.write('[');
  // The CSV goes through the export's guarded encoder: a cell a spreadsheet would run (=, +, -, @) gets a `'`.
  const line = format === 'csv' ? csvLineEncoder(columns.map(() => CellKind.text), { delimiter: ',', eol: '\n', neutralise: true, decimalComma: false }) : null;
  if (line !== null) process.stdout.write(line(columns));
  for (const r of rows) {
    if (format === 'json') process.stdout.write((n > 0 ? ',\n' : '\n') + JSON.stringify(pick(r, columns)));
    else if (format === 'nl') process.stdout.write(JSON.stringify(pick(r, columns)) + '\n');
    else if (line !== null) process.stdout.write(line(columns.map((c) => csvValue(r[c]))));
    n++;
  }
  if (format === 'json') process.stdout.write(n > 0 ? '\n]\n' : ']\n');
  return n;
}

/** A list or search value as one CSV cell: objects as JSON, numbers as numbers. */
function csvValue(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
}

function pick(r: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const c of columns) o[c] = c === 'extra' && typeof r[c] === 'string' ? safeJson(r[c] as string) : r[c];
  return o;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export function formatOf(g: GlobalOpts, o: { nl?: boolean; csv?: boolean }): RowFormat {
  if (o.nl) return 'nl';
  if (o.csv) return 'csv';
  if (g.json) return 'json';
  return 'table';
}
