import { SingleBar } from 'cli-progress';
import type { ImportResult, Progress } from '../../core/import/index.js';
import type { GlobalOpts } from '../context.js';
import { paint, say, warn } from '../output.js';

/** The object `import --json` prints: the counts scripts rely on first, then the details. */
export function importJson(r: ImportResult): Record<string, unknown> {
  return {
    read: r.read, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected,
    suppressed: r.suppressed, merged_in_file: r.merged_in_file, dry_run: r.dry_run, rejects: r.rejects,
    what: r.what, file: r.file, sha256: r.sha256, encoding: r.encoding, delimiter: r.delimiter, format: r.format,
    file_format: r.book?.format ?? 'csv', sheet: r.book?.sheet ?? null, header_row: r.book?.headerRow ?? null,
    run: r.run, aborted: r.aborted, new_categories: r.newCategories, blocked_consents: r.blockedConsents,
    warnings: r.warningCount, warning_samples: r.warnings, reject_samples: r.rejectSamples, notes: r.notes,
    timings_ms: r.timings,
  };
}

const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** The summary for a person, on stderr. */
export function renderImport(g: GlobalOpts, r: ImportResult): void {
  const p = paint(g);
  const name = r.file === 'stdin' ? 'stdin' : r.file.split('/').pop() ?? r.file;
  const how = r.book
    ? `${r.book.format}${r.book.sheet !== null ? `, sheet ${r.book.sheet}, header row ${r.book.headerRow}` : ''}`
    : `${r.encoding}${r.encodingHow === 'given' ? '' : `, ${r.encodingHow}`}; ${DELIMITERS[r.delimiter] ?? r.delimiter}`;
  say(g, `${p.bold(name)}: ${r.read} ${r.book?.format === 'vcf' ? 'cards' : 'rows'} read (${how}${r.format ? `; ${r.format} export` : ''})`);
  if (r.dry_run) {
    say(g, '  columns:');
    for (const c of r.columns) say(g, `    ${c.column} → ${c.use}${c.how === 'map' ? ' (--map)' : ''}`);
  }
  const verb = r.dry_run ? 'would be ' : '';
  say(g, `  ${verb}inserted ${r.inserted} · ${verb}updated ${r.updated} · unchanged ${r.unchanged} · rejected ${r.rejected} · suppressed ${r.suppressed} · merged in file ${r.merged_in_file}`);
  if (r.previousRun !== null && r.inserted === 0 && r.updated === 0) say(g, `  same file as import run ${r.previousRun}: nothing to change`);
  if (r.newCategories.length > 0) say(g, `  new categories: ${r.newCategories.join(', ')}`);
  if (r.unusedColumns.length > 0) warn(g, `columns not imported (sales and interactions have no extra): ${r.unusedColumns.join(', ')}`);
  for (const n of r.notes) warn(g, n);
  if (r.blockedConsents > 0) {
    warn(g, `${r.blockedConsents} consent(s) in the file were not applied: the person withdrew or objected since (carnet rgpd consent REF --granted changes that)`);
  }
  if (r.warningCount > 0) {
    warn(g, r.book ? `${r.warningCount} value(s) could not be read (kept in extra, or left empty for an error cell):` : `${r.warningCount} value(s) could not be read and were kept in extra:`);
    for (const w of r.warnings.slice(0, 10)) say(g, `    ${w.place ?? `line ${w.line} ${w.field}`}: ${w.message}`);
    if (r.warningCount > 10) say(g, `    … and ${r.warningCount - 10} more`);
  }
  if (r.rejected > 0) {
    warn(g, `${r.rejected} row(s) rejected${r.rejects ? ` → ${r.rejects}` : ''}:`);
    for (const x of r.rejectSamples.slice(0, 10)) say(g, `    ${x.place ?? `line ${x.line} ${x.field}`}: ${x.message}`);
    if (r.rejected > 10) say(g, `    … and ${r.rejected - 10} more${r.rejects ? ' in the rejects file' : ''}`);
    if (r.rejects) say(g, '  fix them in that file and import it again as it is');
  }
  if (r.aborted) warn(g, '--strict: rows were rejected, nothing was imported');
  else if (r.dry_run) say(g, p.dim('dry run: nothing was written'));
}

/** A progress bar on stderr for a person at a terminal: rows/s and an ETA from the bytes read, then "writing…". */
export function progressBar(g: GlobalOpts): { update: (p: Progress) => void; applying: () => void; stop: () => void } | null {
  if (!process.stderr.isTTY || g.quiet || process.env.CI === 'true' || process.env.TERM === 'dumb') return null;
  const started = Date.now();
  let bar: SingleBar | null = null;
  let writing = false;
  return {
    applying: () => {
      bar?.stop();
      bar = null;
      writing = true;
      process.stderr.write('matching and writing…');
    },
    update: (p) => {
      if (writing) return;
      if (!bar) {
        bar = new SingleBar({
          format: p.totalBytes ? 'importing [{bar}] {percentage}% · {rows} rows · {speed} rows/s · ETA {eta_formatted}' : 'importing {rows} rows · {speed} rows/s',
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 20,
        });
        bar.start(p.totalBytes ?? 1, 0, { rows: 0, speed: 0 });
      }
      const secs = Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(p.totalBytes ? p.bytes : 0, { rows: p.rows.toLocaleString('en-US'), speed: Math.round(p.rows / secs).toLocaleString('en-US') });
    },
    stop: () => {
      bar?.stop();
      // Erase the "writing…" line: the summary takes its place.
      if (writing) process.stderr.write('\r\u001b[2K');
    },
  };
}
