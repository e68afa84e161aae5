import type { Command } from 'commander';
import { collect, globalsOf, withCtx } from '../context.js';
import { examples, REF_HELP } from '../help.js';
import { printJson, say } from '../output.js';
import { KEY } from '../../core/fields/catalogue.js';

export function registerEdit(program: Command): void {
  const cmd = program
    .command('edit')
    .description('rectify a customer: set fields (an empty value clears one); audited')
    .argument('<ref>', REF_HELP)
    .requiredOption('--set <field=value>', 'field to change (repeatable); extra.<name> for an imported column', collect, []);
  examples(cmd, [`carnet edit 12 --set ${KEY.city}=Lyon --set ${KEY.postalCode}=69003`, `carnet edit elodie.meyer@sfr.fr --set ${KEY.phone}="07 11 22 33 44"`]);
  cmd.action(async (ref: string, opts: { set: string[] }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { editCustomer } = await import('../../core/customers/add.js');
      const res = editCustomer(ctx, ref, opts.set);
      if (g.json) printJson({ id: res.customer.id, uid: res.customer.uid, changed: res.changed });
      else say(g, res.changed.length ? `changed ${res.changed.join(', ')} on customer ${res.customer.id}` : 'nothing changed');
    });
  });
}
