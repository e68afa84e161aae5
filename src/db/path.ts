import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** --db PATH > $CARNET_DB > $XDG_DATA_HOME/carnet/carnet.db > ~/.local/share/carnet/carnet.db */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.CARNET_DB) return resolve(env.CARNET_DB);
  const dataHome = env.XDG_DATA_HOME && env.XDG_DATA_HOME.length > 0 ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(dataHome, 'carnet', 'carnet.db');
}
