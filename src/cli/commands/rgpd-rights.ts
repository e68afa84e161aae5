import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { globalsOf, withCtx } from '../context.js';
import { examples, REF_HELP } from '../help.js';
import { printJson, say, warn } from '../output.js';

export function registerRgpdOptout(group: Command): void {
  const cmd = group
    .command('optout')
    .description('record an objection to prospecting on a channel or all (always wins over consent, sticks across imports)')
    .argument('<ref>', REF_HELP)
    .option('--channel <channel>', 'email, sms, phone, post or all', 'all')
    .option('--source <text>', 'how the objection came (reply to mailing, phone call…)')
    .option('--proof <text>', 'a reference to keep as proof (message id, date of the letter…)');
  examples(cmd, ['carnet rgpd optout elodie.meyer@sfr.fr', 'carnet rgpd optout 12 --channel sms --source "STOP SMS"']);
  cmd.action(async (ref: string, opts: { channel?: string; source?: string; proof?: string }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { optout } = await import('../../core/rgpd/rights.js');
      const r = optout(ctx, ref, opts);
      if (g.json) printJson(r);
      else say(g, `${r.contactId ? `contact ${r.contactId} of customer ${r.id}` : `customer ${r.id}`} opposed to prospecting by ${r.channels.join(', ')}; ${r.suppressed} identifier(s) on the suppression list`);
    });
  });
}

export function registerRgpdConsent(group: Command): void {
  const cmd = group
    .command('consent')
    .description('record a consent given, refused or withdrawn on a channel, with its source and proof')
    .argument('<ref>', REF_HELP)
    .requiredOption('--channel <channel>', 'email, sms, phone, post or all')
    .option('--granted', 'the person said yes')
    .option('--refused', 'the person said no')
    .option('--withdrawn', 'the person took back a consent')
    .requiredOption('--source <text>', 'where and how it was collected (form, signed quote, phone…)')
    .option('--at <date>', 'when it was given (default now)')
    .option('--proof <text>', 'what proves it (form id, document, message id)')
    .option('--purpose <text>', 'what it is for', 'marketing');
  examples(cmd, ['carnet rgpd consent elodie.meyer@sfr.fr --channel email --granted --source "formulaire site" --at 2026-03-01 --proof "form#8812"']);
  cmd.action(async (ref: string, opts: { channel: string; granted?: boolean; refused?: boolean; withdrawn?: boolean; source: string; at?: string; proof?: string; purpose?: string }, c: Command) => {
    const g = globalsOf(c);
    const states = (['granted', 'refused', 'withdrawn'] as const).filter((s) => opts[s]);
    if (states.length !== 1) throw new UsageError('say exactly one of --granted, --refused or --withdrawn');
    await withCtx(g, async (ctx) => {
      const { recordConsent } = await import('../../core/rgpd/rights.js');
      const r = recordConsent(ctx, ref, { ...opts, state: states[0] ?? 'granted' });
      if (r.opposed.length) warn(g, `an objection is on file for ${r.opposed.join(', ')}: it still wins over this consent`);
      if (g.json) printJson(r);
      else say(g, `customer ${r.id}: ${r.state} for ${r.channels.join(', ')} on ${r.recordedAt.slice(0, 10)}`);
    });
  });
}

export function registerRgpdRestrict(group: Command): void {
  for (const on of [true, false]) {
    const cmd = group
      .command(on ? 'restrict' : 'unrestrict')
      .description(on ? 'restrict processing (art. 18): keep the record but out of exports, categorisation, dedupe and purges' : 'lift a restriction of processing')
      .argument('<ref>', REF_HELP);
    if (on) cmd.option('--ground <ground>', 'accuracy, unlawful, claims or objection (art. 18.1 a–d)');
    examples(cmd, [on ? 'carnet rgpd restrict elodie.meyer@sfr.fr --ground accuracy' : 'carnet rgpd unrestrict elodie.meyer@sfr.fr']);
    cmd.action(async (ref: string, opts: { ground?: string }, c: Command) => {
      const g = globalsOf(c);
      await withCtx(g, async (ctx) => {
        const { setRestriction } = await import('../../core/rgpd/rights.js');
        const r = setRestriction(ctx, ref, on, opts.ground);
        if (g.json) printJson(r);
        else say(g, `customer ${r.id} ${r.changed ? '' : 'was already '}${on ? 'restricted' : 'not restricted'}`);
      });
    });
  }
}
