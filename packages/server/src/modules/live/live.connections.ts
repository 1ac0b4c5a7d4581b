import type { Logger } from 'pino';
import { isEvent } from '../../events/domain-events.js';
import type { EventBus } from '../../events/event-bus.js';
import type { EventRecord } from '../../events/events.service.js';
import { topics } from '../../events/topics.js';
import type { SignIn } from '../accounts/accounts.service.js';

/** A live socket as this registry sees it: something it can close. */
export interface LiveSocket {
  close(code: number, reason: string): void;
}

/** The graphql-ws close code for a connection whose sign-in is gone (its `Unauthorized`). */
export const UNAUTHORIZED_CLOSE_CODE = 4401;
const UNAUTHORIZED_REASON = 'Unauthorized';

/** The longest delay a Node timer takes (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What the registry keeps of a connection's sign-in: ids and the expiry, not the viewer (whose
 * user entity would keep the EntityManager that loaded it alive as long as the socket).
 */
interface Connection {
  readonly userId: string;
  readonly sessionId: string | null;
  readonly tokenId: string | null;
  /** The organization a fine-grained token is bound to. */
  readonly tokenOrganizationId: string | null;
  readonly validUntil: number;
  timer: NodeJS.Timeout | null;
}

/**
 * The signed-in WebSocket connections of this instance, by the session or personal access
 * token each was opened with. A connection lives only as long as what signed it in: when the
 * session ends (signing out, a password change or reset), the token is revoked (or refused by
 * an organization admin, or its organization forbids tokens), or either expires, the socket is
 * closed with 4401 Unauthorized, on every instance (through the access
 * events) and on this one before the operation that ended it answers.
 */
export class LiveConnections {
  private readonly connections = new Map<LiveSocket, Connection>();
  private readonly bySession = new Map<string, Set<LiveSocket>>();
  private readonly byToken = new Map<string, Set<LiveSocket>>();
  private readonly byUser = new Map<string, Set<LiveSocket>>();
  private readonly unsubscribe: (() => void)[];
  /** Counters for tests and health checks. */
  readonly stats = { closedUnauthorized: 0 };

  constructor(
    bus: EventBus,
    private readonly log: Logger,
  ) {
    const onEvent = (event: EventRecord): void => this.onEvent(event);
    this.unsubscribe = [bus.subscribe(topics.access, onEvent), bus.subscribeOwnCommits(onEvent)];
  }

  /** Number of signed-in connections held. */
  get size(): number {
    return this.connections.size;
  }

  /** Holds `socket`, opened with `signIn`, until `closed(socket)`. */
  open(socket: LiveSocket, signIn: SignIn): void {
    const { viewer } = signIn;
    const connection: Connection = {
      userId: viewer.user.id,
      sessionId: viewer.sessionId,
      tokenId: viewer.tokenId,
      tokenOrganizationId: viewer.grant?.organizationId ?? null,
      validUntil: signIn.validUntil,
      timer: null,
    };
    this.connections.set(socket, connection);
    if (connection.sessionId) add(this.bySession, connection.sessionId, socket);
    if (connection.tokenId) add(this.byToken, connection.tokenId, socket);
    add(this.byUser, connection.userId, socket);
    this.armExpiry(socket, connection);
  }

  /** Whether the connection of `socket` was signed in (and still is, as far as it knows). */
  isSignedIn(socket: LiveSocket): boolean {
    return this.connections.has(socket);
  }

  /** Closes `socket` with 4401 Unauthorized: what signed it in is gone. */
  unauthorized(socket: LiveSocket): void {
    this.stats.closedUnauthorized += 1;
    this.forget(socket);
    try {
      socket.close(UNAUTHORIZED_CLOSE_CODE, UNAUTHORIZED_REASON);
    } catch (err) {
      this.log.warn({ err }, 'closing an unauthorized WebSocket failed');
    }
  }

  /** The socket closed (whoever closed it): forget it. */
  closed(socket: LiveSocket): void {
    this.forget(socket);
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    for (const socket of [...this.connections.keys()]) this.forget(socket);
  }

  private armExpiry(socket: LiveSocket, connection: Connection): void {
    const left = connection.validUntil - Date.now();
    if (left === Infinity) return;
    if (left <= 0) {
      this.unauthorized(socket);
      return;
    }
    connection.timer = setTimeout(
      () => {
        connection.timer = null;
        if (this.connections.get(socket) === connection) this.armExpiry(socket, connection);
      },
      Math.min(left, MAX_TIMER_MS),
    );
    connection.timer.unref();
  }

  private onEvent(event: EventRecord): void {
    if (event.topic !== topics.access) return;
    if (isEvent(event, 'session.ended')) {
      this.closeAll(this.bySession.get(event.subjectId));
    } else if (isEvent(event, 'personal_access_token.revoked')) {
      this.closeAll(this.byToken.get(event.subjectId));
    } else if (isEvent(event, 'organization.token_policy_changed')) {
      if (event.data.policy !== 'FORBID') return;
      // The organization's fine-grained tokens stop working.
      const organizationId = event.data.organizationId;
      const sockets = [...this.connections].filter(
        ([, connection]) => connection.tokenOrganizationId === organizationId,
      );
      this.closeAll(sockets.map(([socket]) => socket));
    } else if (isEvent(event, 'sessions.ended')) {
      const kept = event.data.keptSessionId;
      const sockets = [...(this.byUser.get(event.data.userId) ?? [])].filter((socket) => {
        const sessionId = this.connections.get(socket)?.sessionId;
        return sessionId !== null && sessionId !== undefined && sessionId !== kept;
      });
      this.closeAll(sockets);
    }
  }

  private closeAll(sockets: Iterable<LiveSocket> | undefined): void {
    for (const socket of [...(sockets ?? [])]) this.unauthorized(socket);
  }

  private forget(socket: LiveSocket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    this.connections.delete(socket);
    if (connection.timer) clearTimeout(connection.timer);
    if (connection.sessionId) remove(this.bySession, connection.sessionId, socket);
    if (connection.tokenId) remove(this.byToken, connection.tokenId, socket);
    remove(this.byUser, connection.userId, socket);
  }
}

function add(index: Map<string, Set<LiveSocket>>, key: string, socket: LiveSocket): void {
  let sockets = index.get(key);
  if (!sockets) index.set(key, (sockets = new Set()));
  sockets.add(socket);
}

function remove(index: Map<string, Set<LiveSocket>>, key: string, socket: LiveSocket): void {
  const sockets = index.get(key);
  sockets?.delete(socket);
  if (sockets?.size === 0) index.delete(key);
}
