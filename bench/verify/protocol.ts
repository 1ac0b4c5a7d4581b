/** Messages between the benchmark and its server processes (Node IPC). */

export type ServerRequest =
  | { type: 'stats' }
  /** Reload the catalog (Portico); learn the benchmark's credential (the SHA-256 baseline). */
  | { type: 'reload'; secret?: string }
  | { type: 'stop' };

export interface ServerStats {
  /** Every statement the gateway sent, request path and timers (0 for the bare server). */
  queries: number;
  /** The same statements by kind (see portico.ts). */
  byKind: Record<string, number>;
  /**
   * Verifications that waited on the database: the credential cache had no answer for them
   * (a hit older than 30 s is served at once and refreshed in the background).
   */
  waited: number;
  /** CPU time (user + system) the process used so far, in ms. */
  cpuMs: number;
}

export type ServerReply =
  | { type: 'ready'; url: string }
  | ({ type: 'stats' } & ServerStats)
  | { type: 'reloaded' }
  | { type: 'stopped' };
