import type { Command } from 'commander';
import { globalsOf, withCtx } from '../context.js';
import { examples, REF_HELP } from '../help.js';
import { printJson, say, warn } from '../output.js';

export function registerRgpdAccess(group: Command): void {
  const cmd = group
    .command('access')
    .description('everything held on a person (right of access and portability): Markdown report, or JSON with --json')
    .argument('<ref>', REF_HELP)
    .option('-o, --out <file>', 'write the report to FILE (mode 0600) instead of stdout');
  examples(cmd, ['carnet rgpd access elodie.meyer@sfr.fr --out acces-meyer.md', 'carnet rgpd access 12 --json --out meyer.json']);
  cmd.action(async (ref: string, opts: { out?: string }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { accessRequest } = await import('../../core/rgpd/access.js');
      const r = accessRequest(ctx, ref, { format: g.json ? 'json' : 'md', out: opts.out });
      if (r.content !== null) process.stdout.write(r.content);
      if (r.file) say(g, `wrote ${r.file.path} (${r.file.bytes} bytes, mode 0600): answer within one month of the request`);
      else if (!g.json) warn(g, 'the report holds personal data: send it to the person only');
    });
  });
}

export function registerRgpdRegister(group: Command): void {
  const cmd = group
    .command('register')
    .description('write the record of processing activities (RGPD art. 30) for this file as Markdown (JSON with --json)')
    .option('-o, --out <file>', 'write it to FILE (mode 0600) instead of stdout');
  examples(cmd, ['carnet rgpd register --out registre-rgpd.md', 'carnet rgpd register --json']);
  cmd.action(async (opts: { out?: string }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { recordOfProcessing } = await import('../../core/rgpd/register.js');
      const r = recordOfProcessing(ctx, { out: opts.out, format: g.json ? 'json' : 'md' });
      if (r.content !== null) process.stdout.write(r.content);
      if (r.file) say(g, `wrote ${r.file.path} (${r.file.bytes} bytes, mode 0600)`);
      if (r.file && g.json) printJson({ path: r.file.path, bytes: r.file.bytes });
      for (const w of r.data.warnings) say(g, `to review: ${w}`);
    });
  });
}
