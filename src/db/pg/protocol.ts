/** Messages between the main thread (sync.ts) and the connection's worker (worker.ts). */

/** PostgreSQL's transaction status after a request: Idle, in Transaction, or in a failed transaction (Error). */
export type TxStatus = 'I' | 'T' | 'E';

export type Request =
  | { op: 'connect' }
  /** paramTypes: OIDs for the parameters (0 = let the server infer), when it could not infer them alone. */
  | { op: 'query'; text: string; values: unknown[]; rowMode: 'array' | 'object'; paramTypes?: number[] }
  /** A statement sent without waiting (a pipeline): no reply; its error is the next request's. */
  | { op: 'send'; text: string; values: unknown[]; copy?: undefined }
  /** COPY … FROM STDIN sent without waiting, `copy` its data in COPY's text format. */
  | { op: 'send'; text: string; values?: undefined; copy: string }
  /** Waits for the statements sent so far; replies with the first error among them. */
  | { op: 'sync' }
  /** Simple-query protocol: several statements, no parameters (migrations, BEGIN…). */
  | { op: 'exec'; text: string }
  /** COPY (text) TO STDOUT: replies with the result's column types and its first page (see copy-out.ts). */
  | { op: 'copyOut'; text: string }
  /** The next page of the COPY under way (null once it has ended). */
  | { op: 'copyNext' }
  /** The reader stopped early: the rest of the COPY is dropped. */
  | { op: 'copyStop' }
  | { op: 'end' };

/** A page of COPY TO's text (whole rows), transferred, with the column types on the first; page null: the copy has ended. */
export interface CopyPage {
  types?: number[];
  page: Uint8Array | null;
}

export interface WireError {
  message: string;
  /** SQLSTATE (`40001`), or a Node error code (`ECONNREFUSED`, `ENOENT`). */
  code?: string;
  detail?: string;
  hint?: string;
  severity?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

export type Reply =
  | { ok: true; rows: unknown[]; rowCount: number; command: string; tx: TxStatus; pid?: number; copy?: CopyPage }
  | { ok: false; error: WireError; tx: TxStatus };

/** What the worker is started with (plain data: it crosses the thread boundary). */
export interface WorkerInit {
  config: {
    host?: string;
    port?: number;
    user?: string;
    password?: string;
    database?: string;
    /** fallback: connect without TLS when the server offers none (sslmode prefer/allow). */
    ssl?: boolean | { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string; fallback?: boolean };
    application_name?: string;
    connectionTimeoutMillis?: number;
    options?: string;
  };
  /** Two Int32s: [0] the worker sets to 1 and notifies when a reply is posted; [1] statements sent and not yet done. */
  signal: SharedArrayBuffer;
}
