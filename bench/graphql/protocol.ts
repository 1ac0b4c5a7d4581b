/** Messages between the GraphQL benchmark and its two server processes (Node IPC). */

export type ServerRequest =
  | { type: 'stats' }
  /**
   * Start (`on`) or stop keeping the text of every SQL statement the server sends; answered
   * with the statements kept since the last `record`.
   */
  | { type: 'record'; on: boolean }
  /** Reload the gateway's catalog (rows written through the ORM publish no event). */
  | { type: 'reload' }
  | { type: 'stop' };

export interface ServerStats {
  /** SQL statements the server sent so far. */
  queries: number;
  /** CPU time (user + system) the process used so far, in ms. */
  cpuMs: number;
  /** Session lookups answered from memory so far (Portico only). */
  sessionHits?: number;
}

export type ServerReply =
  | { type: 'ready'; url: string }
  | ({ type: 'stats' } & ServerStats)
  | { type: 'recorded'; statements: string[] }
  | { type: 'reloaded' }
  | { type: 'stopped' };
