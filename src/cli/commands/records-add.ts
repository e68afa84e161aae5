import type { Command } from 'commander';
import type { CustomerInput } from '../../core/model.js';
import { collect, globalsOf, interactive, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, printJson, say, warn } from '../output.js';
import { customerFlags, inputFromFlags, promptMissing } from './customer-flags.js';

export function registerAdd(program: Command): void {
  const cmd = program.command('add').description('add a customer (a person or a company); asks for what is missing when run in a terminal');
  customerFlags(cmd);
  cmd.option('--category <name>', 'put the new customer in this category (repeatable)', collect, []);
  cmd.option('--set <key=value>', 'a field of your own (carnet field list), repeatable', collect, []);
  examples(cmd, [
    'carnet add --first-name Élodie --last-name Meyer --email " Elodie.Meyer@SFR.fr " --phone "06 12 34 56 78"',
    'carnet add --kind company --company "Boulangerie Dupont SARL" --siret "732 829 320 00074" --city Lyon',
  ]);
  cmd.action(async (opts: Record<string, unknown>, c: Command) => {
    const g = globalsOf(c);
    let input: CustomerInput = inputFromFlags(opts);
    if (interactive() && !input.lastName && !input.firstName && !input.companyName && !input.email && !input.phone) {
      input = await promptMissing(input);
    }
    await withCtx(g, async (ctx) => {
      const [{ addCustomer }, { tagCustomer }] = await Promise.all([import('../../core/customers/add.js'), import('../../core/customers/tags.js')]);
      const { customer, similar } = addCustomer(ctx, input, (opts.set as string[] | undefined) ?? []);
      const cats = (opts.category as string[]) ?? [];
      if (cats.length > 0) tagCustomer(ctx, String(customer.id), cats);
      if (similar.length > 0) {
        warn(g, `already in the file with the same e-mail, phone or SIRET: ${similar.map((s) => `${s.id} ${s.name}`).join(', ')} (carnet dedupe can merge them)`);
      }
      if (g.json) printJson({ id: customer.id, uid: customer.uid });
      else {
        out(String(customer.id));
        say(g, `added customer ${customer.id} (${customer.uid})`);
      }
    });
  });
}
