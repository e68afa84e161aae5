// A real PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly) listening on a
// Unix socket, for the tests: `node pglite-server.mjs DIR PID` listens on
// DIR/.s.PGSQL.5432, writes DIR/pid once it listens, and serves until process
// PID (its vitest worker) is gone. Plain JavaScript: node runs it directly.
import { writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const [dir, watched] = process.argv.slice(2);
const db = await PGlite.create();
const server = new PGLiteSocketServer({ db, path: `${dir}/.s.PGSQL.5432`, maxConnections: 64 });
await server.start();
writeFileSync(`${dir}/pid`, String(process.pid));

setInterval(() => {
  try {
    process.kill(Number(watched), 0);
  } catch {
    process.exit(0);
  }
}, 1000);
