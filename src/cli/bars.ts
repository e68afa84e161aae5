import { pad, textWidth } from './output.js';

/**
 * Horizontal bar charts for the terminal. On a terminal: Unicode blocks with
 * eighth-of-a-cell precision (▏▎▍▌▋▊▉█), as wide as the window. Piped or on a
 * dumb terminal: plain ASCII `#` bars in 80 columns, so `carnet stats | less`
 * and a cron mail read fine.
 */
export interface Bar {
  label: string;
  value: number;
  /** What to print after the bar (default: the value). */
  note?: string;
}

export interface BarStyle {
  /** Total width of a line, in terminal columns. */
  width: number;
  unicode: boolean;
  /** Colours the bar itself (identity when not on a colour terminal). */
  color?: (s: string) => string;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const LABEL_MAX = 28;
const MIN_BAR = 10;
const INDENT = '  ';

/** The style for a stream: Unicode on a UTF-8 terminal, its width (COLUMNS when piped, else 80). */
export function barStyle(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): BarStyle {
  const tty = Boolean(stream.isTTY) && env.TERM !== 'dumb';
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  const utf8 = locale === '' || /utf-?8/i.test(locale);
  const columns = tty ? stream.columns : Number(env.COLUMNS);
  const width = Number.isFinite(columns) && columns > 0 ? Math.min(columns, 160) : 80;
  return { width: Math.max(width, 30), unicode: tty && utf8 };
}

function clip(s: string, width: number): string {
  if (textWidth(s) <= width) return s;
  let out = '';
  for (const ch of s) {
    if (textWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return out + '…';
}

/** A bar of `cells` terminal columns (fractional: Unicode eighths; ASCII rounds, keeping a visible # for any non-zero value). */
export function bar(cells: number, unicode: boolean): string {
  if (cells <= 0) return '';
  if (!unicode) return '#'.repeat(Math.max(1, Math.round(cells)));
  const eighths = Math.max(1, Math.round(cells * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] ?? '');
}

/** One line per bar: label, bar scaled to the largest value, note; every line fits `style.width`. */
export function renderBars(bars: readonly Bar[], style: BarStyle): string[] {
  if (bars.length === 0) return [];
  const notes = bars.map((b) => b.note ?? String(b.value));
  const noteWidth = Math.max(...notes.map((n) => textWidth(n)));
  // Labels give way to the bar on narrow terminals, down to a few characters.
  const labelRoom = Math.max(4, style.width - INDENT.length - 2 - 1 - noteWidth - MIN_BAR);
  const labelWidth = Math.min(LABEL_MAX, labelRoom, Math.max(...bars.map((b) => textWidth(b.label))));
  const max = Math.max(...bars.map((b) => b.value));
  const room = Math.max(1, style.width - INDENT.length - labelWidth - 2 - 1 - noteWidth);
  const paint = style.color ?? ((s: string) => s);
  return bars.map((b, i) => {
    const cells = max > 0 && b.value > 0 ? (b.value / max) * room : 0;
    const drawn = bar(cells, style.unicode);
    const line = `${INDENT}${pad(clip(b.label, labelWidth), labelWidth)}  ${drawn ? paint(drawn) : ''}${' '.repeat(Math.max(0, room - textWidth(drawn)))} ${notes[i] ?? ''}`;
    return line.trimEnd();
  });
}

/** A titled chart: the title, then its bars (or "none"). */
export function chart(title: string, bars: readonly Bar[], style: BarStyle): string {
  const lines = renderBars(bars, style);
  return [title, ...(lines.length > 0 ? lines : [`${INDENT}(none)`])].join('\n');
}
