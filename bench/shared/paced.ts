// A load generator at a fixed rate, evenly paced, for latency at a given rate. autocannon's
// rate option is not one: each connection sends its whole quota for the second back to back
// as the second starts, then waits for the next one, so its "2,000 req/s" is a burst of 2,000
// requests each second and its latencies are those of the burst. Here a request is due every
// 1/rate seconds and sent at the next millisecond tick, on keep-alive connections. Its latency
// runs from when it is sent, including any wait for a free connection, so that a server that
// falls behind is not flattered (no coordinated omission), and not the generator's own tick.
// A lead-in at the same rate comes first and is not kept: it opens the connections and warms
// this process's own HTTP client, which would otherwise weigh on whichever server came first.
import http from 'node:http';

export interface PacedOptions {
  url: string;
  /** GET unless given; a body is sent with each request. */
  method?: string;
  body?: string;
  headers: Record<string, string>;
  /** Requests per second, in all. */
  rate: number;
  /** Keep-alive connections at most. */
  connections: number;
  seconds: number;
  /** Sent first at the same rate on the same connections, not kept (default 0.5 s). */
  leadInSeconds?: number;
}

export interface PacedResult {
  /** Responses by status code. */
  statuses: Map<number, number>;
  errors: number;
  /** Each response's latency from when its request was sent (queued for a connection), in ms. */
  latencies: number[];
  /** From the first request due to the last answer, in seconds. */
  seconds: number;
}

export async function runPaced(options: PacedOptions): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  try {
    const leadIn = options.leadInSeconds ?? 0.5;
    if (leadIn > 0) await paced(options, agent, leadIn);
    return await paced(options, agent, options.seconds);
  } finally {
    agent.destroy();
  }
}

async function paced(
  options: PacedOptions,
  agent: http.Agent,
  seconds: number,
): Promise<PacedResult> {
  const url = new URL(options.url);
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let errors = 0;
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * seconds);
  const start = performance.now();
  let sent = 0;
  let answered = 0;

  await new Promise<void>((resolve) => {
    const done = () => {
      answered += 1;
      if (answered === total) resolve();
    };
    const send = () => {
      const sentAt = performance.now();
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: options.method ?? 'GET',
          headers: options.headers,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          response.on('end', () => {
            latencies.push(performance.now() - sentAt);
            done();
          });
          response.resume();
        },
      );
      request.on('error', () => {
        errors += 1;
        done();
      });
      request.end(options.body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due) {
        send();
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  return { statuses, errors, latencies, seconds: (performance.now() - start) / 1000 };
}
