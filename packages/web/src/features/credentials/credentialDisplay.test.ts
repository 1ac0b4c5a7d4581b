import { describe, expect, it } from 'vitest';
import type { CredentialFieldsFragment } from '../../gql/graphql';
import {
  credentialName,
  graceCountdown,
  graceEndsAt,
  groupCredentials,
  maskedSecret,
  shortPublicId,
} from './credentialDisplay';

const credential = (
  id: string,
  fields: Partial<CredentialFieldsFragment> = {},
): CredentialFieldsFragment => ({
  __typename: 'Credential',
  id,
  kind: 'CONSUMER_KEY',
  status: 'ACTIVE',
  publicId: `pck_${id.padEnd(38, 'x')}`,
  lastFour: 'Ab12',
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
  rotatedFromId: null,
  createdAt: '2026-01-01T00:00:00Z',
  ...fields,
});

describe('graceCountdown', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('counts whole days, rounding a grace period that started a moment ago', () => {
    expect(graceCountdown('2026-03-06T11:59:00Z', now)).toBe('Grace ends in 5 days');
    expect(graceCountdown('2026-03-02T12:00:00Z', now)).toBe('Grace ends in 1 day');
  });

  it('counts hours and minutes in the last day', () => {
    expect(graceCountdown('2026-03-01T15:10:00Z', now)).toBe('Grace ends in 3 hours');
    expect(graceCountdown('2026-03-01T13:00:00Z', now)).toBe('Grace ends in 1 hour');
    expect(graceCountdown('2026-03-01T12:11:30Z', now)).toBe('Grace ends in 12 minutes');
    expect(graceCountdown('2026-03-01T12:00:05Z', now)).toBe('Grace ends in 1 minute');
  });

  it('says when the grace period is over', () => {
    expect(graceCountdown('2026-03-01T12:00:00Z', now)).toBe('Grace has ended');
    expect(graceCountdown('2026-02-28T12:00:00Z', now)).toBe('Grace has ended');
  });

  it('computes the end of a grace period chosen in days', () => {
    expect(graceEndsAt(3, now).toISOString()).toBe('2026-03-04T12:00:00.000Z');
    expect(graceEndsAt(0, now).toISOString()).toBe(now.toISOString());
  });
});

describe('credential names', () => {
  it('shows a secret only as its prefix and last four characters', () => {
    expect(maskedSecret('CONSUMER_KEY', 'Ab12')).toBe('pcs_…Ab12');
    expect(maskedSecret('BEARER_TOKEN', 'zZ90')).toBe('pbt_…zZ90');
    expect(maskedSecret('OAUTH2_CLIENT', 'q1w2')).toBe('pos_…q1w2');
  });

  it('shortens long public ids and names bearer tokens by their secret', () => {
    expect(shortPublicId('pck_7fGh2Kq9Lm3Np4Rs5Tu6Vw7Xy8Za9Bc0De1Fx9Qz')).toBe('pck_7fGh2K…x9Qz');
    expect(shortPublicId('pck_short')).toBe('pck_short');
    expect(
      credentialName(
        credential('c1', {
          publicId: 'poi_7fGh2Kq9Lm3Np4Rs5Tu6Vw7Xy8Za9Bc0De1Fx9Qz',
          kind: 'OAUTH2_CLIENT',
        }),
      ),
    ).toBe('Client ID poi_7fGh2K…x9Qz');
    expect(credentialName(credential('c2', { kind: 'BEARER_TOKEN', publicId: null }))).toBe(
      'Bearer token pbt_…Ab12',
    );
  });
});

describe('groupCredentials', () => {
  it('splits by kind into live and past, pairing each rotation with its replacement', () => {
    const groups = groupCredentials([
      credential('new', { rotatedFromId: 'old' }),
      credential('bearer', { kind: 'BEARER_TOKEN', publicId: null }),
      credential('gone', { status: 'REVOKED', revokedAt: '2026-02-01T00:00:00Z' }),
      credential('old', { status: 'IN_GRACE', expiresAt: '2026-03-06T00:00:00Z' }),
      credential('ended', { status: 'EXPIRED', expiresAt: '2026-01-06T00:00:00Z' }),
    ]);
    const keys = groups.CONSUMER_KEY;
    expect(keys.live.map((c) => c.id)).toEqual(['new', 'old']);
    expect(keys.past.map((c) => c.id)).toEqual(['gone', 'ended']);
    expect(keys.rotations.map((r) => [r.previous.id, r.next?.id])).toEqual([['old', 'new']]);
    expect(groups.BEARER_TOKEN.live.map((c) => c.id)).toEqual(['bearer']);
    expect(groups.ACCESS_TOKEN).toEqual({ live: [], past: [], rotations: [] });
    expect(groups.OAUTH2_CLIENT).toEqual({ live: [], past: [], rotations: [] });
  });
});
