/** Messages between the benchmark's processes (Node IPC, and the bare server's notifications). */

export type InstanceRequest = { type: 'stats' } | { type: 'memory' } | { type: 'stop' };
export type InstanceReply =
  | { type: 'ready'; url: string }
  /** After a full garbage collection: resident set and V8 heap in use, bytes. */
  | { type: 'memory'; rss: number; heapUsed: number; external: number }
  /** Open subscriptions; events delivered to them (each event counted once); CPU time so far. */
  | { type: 'stats'; subscribers: number; delivered: number; fetches: number; cpuMs: number }
  | { type: 'stopped' };

/** The channel the bare broadcast server LISTENs on, and what each notification carries. */
export const BARE_CHANNEL = 'bench_bare_events';
export interface BareEvent {
  id: string;
  kind: string;
  subjectId: string;
  createdAt: string;
}

export interface SubscribersConfig {
  /** Server URLs; subscribers are spread over them round-robin. */
  urls: string[];
  count: number;
  cookie: string;
  query: string;
}
export type SubscribersRequest =
  { type: 'start'; config: SubscribersConfig } | { type: 'mark' } | { type: 'report' };
export type SubscribersReply =
  | { type: 'connected'; count: number; failed: number }
  | {
      type: 'report';
      /** Per event id: the wall-clock ms (sub-ms precision) at which each subscriber got it. */
      received: Record<string, number[]>;
      errors: number;
      /** CPU time (user + system) the subscribers' process used while events flowed. */
      cpuMs: number;
    };

/**
 * Milliseconds (sub-ms precision) on the system's monotonic clock, which every process of the
 * machine shares (unlike `performance.timeOrigin`, which drifts from the wall clock).
 */
export const now = (): number => Number(process.hrtime.bigint()) / 1e6;
