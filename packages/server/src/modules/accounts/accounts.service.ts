import { hash, verify } from '@node-rs/argon2';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { newLoaderScope, type Context, type Viewer } from '../../context.js';
import { generateToken, hasValidChecksum, sha256 } from '../../crypto.js';
import { badInput, PorticoError, ErrorCode, unauthenticated } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { requireViewer } from '../../auth/permissions.js';
import { recordAudit } from '../../audit/record.js';
import { publish } from '../../events/events.service.js';
import { detachedEntity } from '../../db/rows.js';
import { describeFailure } from '../mail/mail.delivery.js';
import { enqueueMail, publicLink } from '../mail/mail.service.js';
import { EmailTokenPurpose, PersonalAccessToken, Session, User } from './accounts.entity.js';
import {
  CLASSIC_PAT_PREFIX,
  FINE_GRAINED_PAT_PREFIX,
  tokenGrantOf,
  tokenRefusal,
} from './personal-access-tokens.js';
import { issueEmailToken, verificationLink } from './email-tokens.service.js';
import { signUpAttemptMail, verificationMail } from './accounts.mail.js';
import { clearAttempts, limitAttempt, mayMail } from './attempt-limits.js';
import type { SessionCache } from './session-cache.js';

export const SESSION_COOKIE = 'portico_session';
export const SESSION_TOKEN_PREFIX = 'pts';
/** How often a token's last use is written at most. */
const LAST_USED_EVERY_MS = 60_000;

const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}

const SignUpInput = z.object({
  email: fields.email,
  name: fields.name('Name'),
  password: fields.password,
});

export type SignUpData = z.output<typeof SignUpInput>;

/**
 * Signs up. The answer is the same whether or not an account uses the address, and the work
 * is done after answering, so neither the answer nor its timing tells: a new address gets an
 * account that cannot be used yet and a verification link that activates it and signs in (see
 * `verifyEmail`); an address that has an account is mailed that someone tried, and nothing is
 * created or changed. Nobody is signed in here.
 */
export async function signUp(ctx: Context, input: z.input<typeof SignUpInput>): Promise<true> {
  const data = parseInput(SignUpInput, input);
  await limitAttempt(ctx, 'sign-up', data.email);
  ctx.background.add(
    registerSignUp(ctx, data).catch((error: unknown) => {
      ctx.log.error({ error: describeFailure(error) }, 'sign-up failed after answering');
    }),
  );
  return true;
}

/** The work of `signUp`, in one transaction (awaited only by tests). */
export async function registerSignUp(
  ctx: Pick<Context, 'orm' | 'env' | 'limits'>,
  data: SignUpData,
): Promise<void> {
  const passwordHash = await hashPassword(data.password);
  await ctx.orm.em.fork().transactional(async (em) => {
    const existing = await em.findOne(User, { email: data.email });
    // Not through the operation's context: its answer does not wait for this mail.
    const mailContext = { env: ctx.env };
    if (existing) {
      // Anyone can ask for this mail, again and again: a few per address and hour at most.
      if (!(await mayMail(ctx, existing.email))) return;
      const links = {
        signIn: publicLink(ctx, '/signin'),
        resetPassword: publicLink(ctx, '/forgot-password'),
      };
      await enqueueMail(em, mailContext, signUpAttemptMail(existing, links));
      return;
    }
    const user = new User(data.email, data.name, passwordHash);
    em.persist(user);
    const token = await issueEmailToken(em, user.id, EmailTokenPurpose.VERIFY_EMAIL);
    await enqueueMail(em, mailContext, verificationMail(user, verificationLink(ctx, token)));
  });
}

export async function startSession(ctx: Context, em: EntityManager, user: User): Promise<Session> {
  const token = generateToken(SESSION_TOKEN_PREFIX);
  const ttlSeconds = ctx.env.SESSION_TTL_DAYS * 86_400;
  const session = new Session(
    em.getReference(User, user.id, { wrapped: true }),
    sha256(token),
    new Date(Date.now() + ttlSeconds * 1000),
  );
  session.userAgent = ctx.request.userAgent;
  session.ip = ctx.request.ip;
  em.persist(session);
  ctx.cookies.set(SESSION_COOKIE, token, ttlSeconds);
  // The rest of this operation (its payload) is answered as the newly signed-in user.
  ctx.viewer = {
    user,
    via: 'session',
    scopes: [],
    grant: null,
    sessionId: session.id,
    tokenId: null,
  };
  ctx.loaders = newLoaderScope();
  return session;
}

const SignInInput = z.object({ email: fields.email, password: z.string().max(200) });

/**
 * Signs in with email and password. Attempts are limited per email and per address (a success
 * clears the email's count). An account not activated yet answers as a wrong password: it may
 * have been made by someone else's sign-up a moment ago.
 */
export async function signIn(ctx: Context, input: z.input<typeof SignInInput>): Promise<User> {
  const data = parseInput(SignInInput, input);
  await limitAttempt(ctx, 'sign-in', data.email);
  const user = await ctx.em.transactional(async (em) => {
    const user = await em.findOne(User, { email: data.email }, { populate: ['passwordHash'] });
    // Verify against a fixed hash when the user is unknown, so timing does not reveal accounts.
    const ok = user
      ? await verifyPassword(user.passwordHash, data.password)
      : (await verifyPassword(await DUMMY_HASH, data.password), false);
    if (!user || !ok || !user.activatedAt) {
      throw new PorticoError(ErrorCode.UNAUTHENTICATED, 'Email or password is wrong.', 'password');
    }
    await startSession(ctx, em, user);
    recordAudit(em, ctx, {
      organizationId: null,
      actorId: user.id,
      action: 'user.sign_in',
      targetType: 'User',
      targetId: user.id,
    });
    return user;
  });
  await clearAttempts(ctx, 'sign-in', data.email);
  return user;
}

const DUMMY_HASH = hashPassword('not-a-real-password-just-for-timing');

/**
 * Ends the viewer's session. Its live streams end with it: every instance closes the sockets
 * opened with it (`session.ended`).
 */
export async function signOut(ctx: Context): Promise<void> {
  const viewer = ctx.viewer;
  ctx.cookies.clear(SESSION_COOKIE);
  const sessionId = viewer?.sessionId;
  if (!viewer || !sessionId) return;
  await ctx.em.transactional(async (em) => {
    const deleted = await em.nativeDelete(Session, { id: sessionId });
    if (deleted > 0) {
      await publish(em, 'session.ended', { subjectId: sessionId, userId: viewer.user.id });
    }
  });
}

/** UNAUTHENTICATED, answered with HTTP 401 (it is thrown while the request context is made). */
function tokenRefused(message: string): PorticoError {
  const error = unauthenticated(message);
  Object.assign(error.extensions, { http: { status: 401 } });
  return error;
}

export interface SignInCredentials {
  sessionToken?: string | undefined;
  bearerToken?: string | undefined;
  /** The address the request comes from (kept as a token's last-used address). */
  address?: string | null | undefined;
}

/** Who is calling: a session cookie, or a personal access token as `Authorization: Bearer`. */
export async function resolveViewer(
  em: EntityManager,
  credentials: SignInCredentials,
  sessions?: SessionCache,
): Promise<Viewer | null> {
  return (await resolveSignIn(em, credentials, sessions))?.viewer ?? null;
}

/** A viewer and until when (ms since the epoch; Infinity: no end) what signed them in works. */
export interface SignIn {
  viewer: Viewer;
  validUntil: number;
}

/**
 * `resolveViewer`, with the end of the session or token: a live socket is closed when it comes.
 * Refuses a bearer token that is malformed, unknown, revoked or expired (UNAUTHENTICATED).
 * With `sessions`, a session cookie seen before is answered from memory (no database round
 * trip), its user a view (`detachedEntity`: in no EntityManager, as a query's rows are): code
 * that writes refers to the viewer by id (`em.getReference(User, viewer.user.id)`).
 */
export async function resolveSignIn(
  em: EntityManager,
  credentials: SignInCredentials,
  sessions?: SessionCache,
): Promise<SignIn | null> {
  const bearer = credentials.bearerToken;
  if (bearer) return tokenSignIn(em, bearer, credentials.address ?? null);
  const sessionToken = credentials.sessionToken;
  if (!sessionToken || !hasValidChecksum(sessionToken, SESSION_TOKEN_PREFIX)) return null;
  const tokenHash = sha256(sessionToken);
  const now = Date.now();
  const cached = sessions?.get(tokenHash, now);
  if (cached) {
    // A copy per request, so that nothing one operation sets on it reaches another.
    return sessionSignIn(detachedEntity(cached.user), cached.sessionId, cached.expiresAt);
  }
  const lookup = sessions?.beginLookup();
  const session = await em.findOne(
    Session,
    { tokenHash, expiresAt: { $gt: new Date(now) } },
    { populate: ['user'] },
  );
  if (!session) return null;
  const user = session.user.getEntity();
  if (sessions && lookup) {
    sessions.set(lookup, tokenHash, {
      sessionId: session.id,
      userId: user.id,
      expiresAt: session.expiresAt.getTime(),
      user: detachedEntity(user),
      readAt: now,
    });
  }
  return sessionSignIn(user, session.id, session.expiresAt.getTime());
}

function sessionSignIn(user: User, sessionId: string, expiresAt: number): SignIn {
  return {
    viewer: { user, via: 'session', scopes: [], grant: null, sessionId, tokenId: null },
    validUntil: expiresAt,
  };
}

/**
 * Signs in with a personal access token: refused (UNAUTHENTICATED, HTTP 401) when malformed,
 * unknown, revoked, expired, waiting for or refused approval, or bound to an organization that
 * forbids tokens. Its last use (time and address) is written at most once a minute: the update
 * only applies to a row last written more than a minute ago, so that concurrent requests make
 * one write between them.
 */
async function tokenSignIn(
  em: EntityManager,
  bearer: string,
  address: string | null,
): Promise<SignIn> {
  if (
    !hasValidChecksum(bearer, FINE_GRAINED_PAT_PREFIX) &&
    !hasValidChecksum(bearer, CLASSIC_PAT_PREFIX)
  ) {
    throw tokenRefused('The token is not valid.');
  }
  const token = await em.findOne(
    PersonalAccessToken,
    { tokenHash: sha256(bearer) },
    { populate: ['user', 'organization'] },
  );
  const now = new Date();
  if (!token) throw tokenRefused('The token is not valid, has expired or was revoked.');
  const refusal = tokenRefusal(token, now);
  if (refusal) throw tokenRefused(refusal);
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    await em.nativeUpdate(
      PersonalAccessToken,
      {
        id: token.id,
        $or: [
          { lastUsedAt: null },
          { lastUsedAt: { $lte: new Date(now.getTime() - LAST_USED_EVERY_MS) } },
        ],
      },
      { lastUsedAt: now, lastUsedIp: address },
    );
    token.lastUsedAt = now;
    token.lastUsedIp = address;
  }
  const user = token.user.getEntity();
  return {
    viewer: {
      user,
      via: 'token',
      scopes: token.scopes,
      grant: tokenGrantOf(token, user),
      sessionId: null,
      tokenId: token.id,
    },
    validUntil: token.expiresAt?.getTime() ?? Infinity,
  };
}

/**
 * Until when the session or personal access token `viewer` signed in with works (ms since the
 * epoch; Infinity: no end), or null when it no longer does (signed out, revoked, expired).
 */
export async function signInValidUntil(em: EntityManager, viewer: Viewer): Promise<number | null> {
  const now = new Date();
  if (viewer.tokenId) {
    const token = await em.findOne(
      PersonalAccessToken,
      { id: viewer.tokenId },
      { populate: ['organization'] },
    );
    if (!token || tokenRefusal(token, now)) return null;
    return token.expiresAt?.getTime() ?? Infinity;
  }
  if (viewer.sessionId) {
    const session = await em.findOne(
      Session,
      { id: viewer.sessionId, expiresAt: { $gt: now } },
      { fields: ['expiresAt'] },
    );
    return session ? session.expiresAt.getTime() : null;
  }
  return null;
}

/**
 * Deletes the user's sessions, except `keepSessionId` (the one making the change), in the
 * caller's transaction; the live streams opened with them end (`sessions.ended`).
 */
export async function endSessions(
  em: EntityManager,
  userId: string,
  keepSessionId: string | null,
): Promise<void> {
  const deleted = await em.nativeDelete(
    Session,
    keepSessionId ? { user: userId, id: { $ne: keepSessionId } } : { user: userId },
  );
  if (deleted > 0) {
    await publish(em, 'sessions.ended', {
      subjectId: userId,
      userId,
      keptSessionId: keepSessionId,
    });
  }
}

/** Stores a new argon2id hash for the user's password. */
export async function setPasswordHash(
  em: EntityManager,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await em.nativeUpdate(User, { id: userId }, { passwordHash, updatedAt: new Date() });
}

const UpdateProfileInput = z.object({ name: fields.name('Name') });

export async function updateProfile(
  ctx: Context,
  input: z.input<typeof UpdateProfileInput>,
): Promise<User> {
  const viewer = requireViewer(ctx);
  const data = parseInput(UpdateProfileInput, input);
  return ctx.em.transactional(async (em) => {
    const user = await em.findOneOrFail(User, { id: viewer.user.id });
    if (user.name !== data.name) {
      user.name = data.name;
      await publish(em, 'user.updated', { subjectId: user.id, userId: user.id });
    }
    return user;
  });
}

const ChangePasswordInput = z.object({
  currentPassword: z.string().max(200, 'The current password is wrong.'),
  newPassword: fields.password,
});

/**
 * Changes the password after checking the current one, and signs out every other session
 * of the user (the one making the change stays signed in). Personal access tokens stay.
 */
export async function changePassword(
  ctx: Context,
  input: z.input<typeof ChangePasswordInput>,
): Promise<User> {
  const viewer = requireViewer(ctx);
  const data = parseInput(ChangePasswordInput, input);
  const current = await ctx.em.findOneOrFail(
    User,
    { id: viewer.user.id },
    { populate: ['passwordHash'], refresh: true },
  );
  if (!(await verifyPassword(current.passwordHash, data.currentPassword))) {
    throw badInput('currentPassword', 'The current password is wrong.');
  }
  if (data.newPassword === data.currentPassword) {
    throw badInput('newPassword', 'Choose a password different from the current one.');
  }
  const passwordHash = await hashPassword(data.newPassword);
  return ctx.em.transactional(async (em) => {
    const user = await em.findOneOrFail(User, { id: viewer.user.id });
    await setPasswordHash(em, user.id, passwordHash);
    await endSessions(em, user.id, viewer.sessionId);
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'user.password_change',
      targetType: 'User',
      targetId: user.id,
    });
    return user;
  });
}
