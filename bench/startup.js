// `carnet --version` must start in under 150 ms: heavy modules load lazily.
import { BIN, median } from './lib.js';

export async function run() {
  const node = median(process.execPath, ['-e', '0'], 11);
  const version = median(process.execPath, [BIN, '--version'], 11);
  const help = median(process.execPath, [BIN, '--help'], 11);
  const ms = (r) => r.seconds * 1000;
  return [
    {
      title: 'start-up (median of 10 runs)',
      rows: [
        { command: 'node -e 0', ms: ms(node), 'ratio to node': 1, 'peak RSS MB': node.rssMb, goal: '' },
        { command: 'carnet --version', ms: ms(version), 'ratio to node': ms(version) / ms(node), 'peak RSS MB': version.rssMb, goal: '< 150 ms' },
        { command: 'carnet --help', ms: ms(help), 'ratio to node': ms(help) / ms(node), 'peak RSS MB': help.rssMb, goal: '' },
      ],
    },
  ];
}
