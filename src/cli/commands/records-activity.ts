import type { Command } from 'commander';
import { globalsOf, withCtx } from '../context.js';
import { examples, REF_HELP } from '../help.js';
import { printJson, say } from '../output.js';
import { FIELDS } from '../../core/fields/catalogue.js';

export function registerContact(program: Command): void {
  const group = program.command('contact').description('contacts: the people and channels of a company file');
  const add = group
    .command('add')
    .description('add a contact person to a customer (usually a company)')
    .argument('<ref>', `the customer: ${REF_HELP}`);
  // A contact's flags are its fields' add/edit flags in the catalogue (commander camel-cases them to the props).
  for (const e of FIELDS) if (e.contact && e.flag) add.option(`--${e.flag.name} <value>`, e.flag.help);
  add.option('--role <value>', 'role (comptable, gérant…)');
  examples(add, ['carnet contact add 73282932000074 --first-name Paul --last-name Martin --role comptable --email compta@dupont.fr']);
  add.action(async (ref: string, opts: Record<string, string | undefined>, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { addContact } = await import('../../core/customers/activity.js');
      const contact = addContact(ctx, ref, opts);
      if (g.json) printJson(contact);
      else say(g, `added contact ${contact.id} to customer ${contact.customerId}`);
    });
  });
}

export function registerLog(program: Command): void {
  const cmd = program
    .command('log')
    .description('record what was done with a customer; an incoming contact restarts the RGPD retention clock')
    .argument('<ref>', REF_HELP)
    .requiredOption('-k, --kind <kind>', 'call, email, meeting, mailing, sms, note, letter or visit')
    .option('-d, --direction <dir>', 'in (from the customer) or out (from you)', 'out')
    .option('--note <text>', 'what was said or done')
    .option('--at <date>', 'when (default now): 2026-03-01, 01/03/2026 14:30…');
  examples(cmd, ['carnet log elodie.meyer@sfr.fr --kind call --direction in --note "wants a quote for March"']);
  cmd.action(async (ref: string, opts: { kind: string; direction: string; note?: string; at?: string }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { logInteraction } = await import('../../core/customers/activity.js');
      const res = logInteraction(ctx, ref, opts);
      if (g.json) printJson(res.interaction);
      else say(g, `logged ${res.interaction.kind} (${res.interaction.direction}) for customer ${res.interaction.customerId}${res.lastContactMoved ? '; last contact moved' : ''}`);
    });
  });
}

export function registerSale(program: Command): void {
  const group = program.command('sale').description('sales: quotes, orders and invoices');
  const add = group
    .command('add')
    .description('record a quote, an order or an invoice for a customer')
    .argument('<ref>', REF_HELP)
    .requiredOption('-k, --kind <kind>', 'quote, order, invoice or credit')
    .requiredOption('-a, --amount <amount>', 'amount incl. tax: 1200.50, "1 200,50 €"')
    .option('--number <number>', 'document number (unique per kind), e.g. F-2026-012')
    .option('--status <status>', 'draft, sent, accepted, refused, paid, unpaid or cancelled (default: quote sent, invoice unpaid)')
    .option('--issued <date>', 'issue date (default today)')
    .option('--due <date>', 'due date')
    .option('--currency <code>', 'ISO currency', 'EUR')
    .option('--label <text>', 'what was sold');
  examples(add, ['carnet sale add 12 --kind invoice --number F-12 --amount 1200.50 --status unpaid --issued 2026-01-15 --due 2026-02-15']);
  add.action(async (ref: string, opts: { kind: string; amount: string; number?: string; status?: string; issued?: string; due?: string; currency?: string; label?: string }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { addSale } = await import('../../core/customers/activity.js');
      const sale = addSale(ctx, ref, { ...opts, status: opts.status ?? '' });
      if (g.json) printJson(sale);
      else say(g, `recorded ${sale.kind} ${sale.number ?? sale.id} (${(sale.amountCents / 100).toFixed(2)} ${sale.currency}, ${sale.status}) for customer ${sale.customerId}`);
    });
  });
}
