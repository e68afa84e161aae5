import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isPgUrl } from './pg/connect.js';

/** --db PATH|URL > $CARNET_DB > $XDG_DATA_HOME/carnet/carnet.db > ~/.local/share/carnet/carnet.db */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // A postgres:// URL is a server's database, never a file name (nor a folder 'postgres:').
  if (flag) return isPgUrl(flag) ? flag : resolve(flag);
  if (env.CARNET_DB) return isPgUrl(env.CARNET_DB) ? env.CARNET_DB : resolve(env.CARNET_DB);
  const dataHome = env.XDG_DATA_HOME && env.XDG_DATA_HOME.length > 0 ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(dataHome, 'carnet', 'carnet.db');
}
