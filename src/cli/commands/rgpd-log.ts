import type { Command } from 'commander';
import { globalsOf, parseIntOption, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, printJson, renderTable, say } from '../output.js';

export function registerRgpdLog(group: Command): void {
  const cmd = group
    .command('log')
    .description('list the audit register: who did what and when (uids and hashes, never personal data)')
    .option('--since <when>', 'from a date (2026-01-31) or a duration back (90d, 1y)')
    .option('--action <action>', "an action (rgpd.forget) or a family (rgpd, export*)")
    .option('--subject <uid>', 'entries about one uid or hash')
    .option('-n, --limit <n>', 'at most n entries (0: all)', parseIntOption('--limit'), 200);
  examples(cmd, ['carnet rgpd log --action rgpd --since 1y', 'carnet rgpd log --json']);
  cmd.action(async (opts: { since?: string; action?: string; subject?: string; limit: number }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { auditLog } = await import('../../core/rgpd/log.js');
      const entries = auditLog(ctx, opts);
      if (g.json) printJson(entries);
      else if (entries.length) out(renderTable(['at', 'actor', 'action', 'subject', 'details'], entries.map((e) => ({ ...e, at: e.at.slice(0, 19).replace('T', ' ') })), { maxWidth: process.stdout.columns }));
      if (!g.json) say(g, `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${entries.length === opts.limit ? ' (more with --limit 0)' : ''}`);
    });
  });
}
