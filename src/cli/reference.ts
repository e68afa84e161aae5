import type { Command } from 'commander';

export interface CommandDoc {
  path: string;
  args: string;
  description: string;
  hasExample: boolean;
}

/**
 * Every runnable command, for the README reference and its test: leaves, and
 * groups that run on their own too (they have options, like `dedupe`).
 */
export function commandReference(program: Command): CommandDoc[] {
  const out: CommandDoc[] = [];
  const walk = (cmd: Command, prefix: string[]) => {
    for (const sub of cmd.commands) {
      if (sub.name() === 'help') continue;
      const path = [...prefix, sub.name()];
      if (sub.commands.length === 0 || sub.options.length > 0) {
        const args = sub.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ');
        let help = '';
        sub.configureOutput({ writeOut: (s) => (help += s), writeErr: () => undefined });
        sub.outputHelp();
        out.push({ path: path.join(' '), args, description: sub.description(), hasExample: /Examples:\n\s+\$ (\S+=\S+ )*carnet /.test(help) });
      }
      if (sub.commands.length > 0) walk(sub, path);
    }
  };
  walk(program, []);
  return out;
}

export function referenceTable(docs: CommandDoc[]): string {
  const rows = docs.map((d) => `| \`carnet ${d.path}${d.args ? ' ' + d.args : ''}\` | ${d.description.replace(/\|/g, '\\|')} |`);
  return ['| command | what it does |', '|---|---|', ...rows].join('\n');
}
