import type { Command } from 'commander';
import { resolve } from 'node:path';
import { globalsOf, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, paint, printJson, say } from '../output.js';

export function registerInit(program: Command): void {
  const cmd = program.command('init').description('create the database (or upgrade it, or adopt an empty file) and show where it is');
  examples(cmd, ['carnet init', 'CARNET_DB=~/clients.db carnet init']);
  cmd.action(async (_opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { init } = await import('../../core/maintenance.js');
      const res = init(ctx, ctx.created);
      if (g.json) printJson(res);
      else say(g, `${res.created ? 'created' : 'already there'}: ${res.path} (schema ${res.schemaLevel ?? 'none'})`);
    }, { adopt: true });
  });
}

function formatSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function registerDoctor(program: Command): void {
  const cmd = program.command('doctor').description('check the database: integrity, schema level, file modes, path');
  examples(cmd, ['carnet doctor', 'carnet doctor --json']);
  cmd.action(async (_opts: unknown, c: Command) => {
    const g = globalsOf(c);
    const ok = await withCtx(g, async (ctx) => {
      const { doctor } = await import('../../core/maintenance.js');
      const r = doctor(ctx);
      if (g.json) printJson(r);
      else {
        const p = paint(g, process.stdout);
        out(
          [
            `database   ${r.path}`,
            `integrity  ${r.integrity.join('; ')}`,
            `schema     ${r.schema.level ?? 'none'} (${r.schema.applied}/${r.schema.known} levels${r.schema.upToDate ? ', up to date' : ''})`,
            `journal    ${r.journalMode}`,
            ...(r.server === null
              ? []
              : [
                  `server     PostgreSQL ${r.server.version}, role ${r.server.role}${r.server.superuser ? ' (a superuser: carnet needs none, give it a role of its own)' : ''}, schema ${r.server.schema}`,
                  ...r.server.privileges.map((x) => `privilege  ${x.granted ? 'yes' : 'NO '} ${x.what}`),
                  `extensions none needed`,
                  ...r.server.beyondReach.map((x) => `not reached ${x}`),
                ]),
            ...r.files.map((f) => `file       ${f.path} mode ${f.mode ?? '-'}${f.private ? '' : ' (readable by others!)'}`),
            ...r.operations.map((o) => `last run   ${o.name} took ${formatSeconds(o.seconds)} (${o.at.slice(0, 16).replace('T', ' ')}${o.summary ? `, ${o.summary}` : ''})`),
            ...(r.rejects.length ? [`rejects    ${r.rejects.length} file(s) of refused rows beside the database: deleted by carnet rgpd purge after the policy's retention (rgpd policy show)`] : []),
            `records    ${Object.entries(r.counts).filter(([k]) => ['customers', 'contacts', 'interactions', 'sales', 'consents', 'categories'].includes(k)).map(([k, v]) => `${k} ${v}`).join(', ')}`,
            r.ok ? p.green('ok') : r.warnings.map((w) => p.yellow(`warning: ${w}`)).join('\n'),
          ].join('\n'),
        );
      }
      return r.ok;
    });
    if (!ok) {
      const { AppError } = await import('../../core/errors.js');
      throw new AppError('carnet doctor found problems (listed above)', { hint: 'fix the file modes with chmod 600, or restore a backup if the integrity check failed' });
    }
  });
}

export function registerBackup(program: Command): void {
  const cmd = program
    .command('backup')
    .description('copy the database to FILE (consistent while others write; mode 0600)')
    .argument('<file>', 'new file to write');
  examples(cmd, ['carnet backup ~/sauvegardes/carnet-$(date +%F).db']);
  cmd.action(async (file: string, _opts: unknown, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { backup } = await import('../../core/maintenance.js');
      const r = backup(ctx, resolve(file));
      if (g.json) printJson(r);
      else say(g, `backed up to ${r.path} (${r.bytes} bytes)`);
    });
  });
}
