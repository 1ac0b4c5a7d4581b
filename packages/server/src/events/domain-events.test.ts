import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AppStatus } from '../modules/apps/apps.entity.js';
import type { ApplicationStatus } from '../modules/applications/applications.entity.js';
import type { CredentialKind } from '../modules/credentials/credentials.entity.js';
import type { GrantStatus } from '../modules/grants/grants.entity.js';
import type { MemberRole } from '../modules/orgs/orgs.entity.js';
import {
  EVENT_DEFINITIONS,
  EVENT_KINDS,
  eventRows,
  isEvent,
  isEventKind,
  kindsWithField,
  type AppStatusName,
  type ApplicationStatusName,
  type CredentialKindName,
  type EventInput,
  type EventKind,
  type EventMap,
  type EventPayload,
  type GrantStatusName,
  type MemberRoleName,
} from './domain-events.js';
import type { EventData } from './events.entity.js';
import type { EventRecord } from './events.service.js';
import { CASES, CATALOG_CHANGE_CASES, expectedRows, ORG } from '../../test/domain-event-cases.js';

function caseRows<K extends EventKind>(kind: K) {
  return rowsOf(kind, CASES[kind].input);
}

function rowsOf<K extends EventKind>(kind: K, input: EventInput<K>) {
  return eventRows(kind, input).map((row) => [row.topic, row.kind, row.subjectId, row.data]);
}

describe('the event map', () => {
  it('has a definition for every kind of the type, and nothing else', () => {
    expectTypeOf<keyof typeof EVENT_DEFINITIONS>().toEqualTypeOf<EventKind>();
    expect([...EVENT_KINDS].sort()).toEqual(Object.keys(CASES).sort());
    for (const kind of EVENT_KINDS) expect(isEventKind(kind)).toBe(true);
    expect(isEventKind('bench.ping')).toBe(false);
    expect(isEventKind('toString')).toBe(false);
  });

  it('types payloads as stored data: ids and scalar values', () => {
    expectTypeOf<EventPayload<EventKind>>().toExtend<EventData>();
  });

  it("mirrors the modules' enums exactly", () => {
    expectTypeOf<`${GrantStatus}`>().toEqualTypeOf<GrantStatusName>();
    expectTypeOf<`${AppStatus}`>().toEqualTypeOf<AppStatusName>();
    expectTypeOf<`${ApplicationStatus}`>().toEqualTypeOf<ApplicationStatusName>();
    expectTypeOf<`${CredentialKind}`>().toEqualTypeOf<CredentialKindName>();
    expectTypeOf<`${MemberRole}`>().toEqualTypeOf<MemberRoleName>();
  });

  it.each(EVENT_KINDS)('%s: writes the rows the code wrote before, in order', (kind) => {
    expect(caseRows(kind)).toEqual(expectedRows(kind));
  });

  it('lists, for each kind, exactly the fields it stores and the topics it goes to', () => {
    for (const kind of EVENT_KINDS) {
      const definition = EVENT_DEFINITIONS[kind];
      expect(Object.keys(definition.data).sort()).toEqual(
        Object.keys(CASES[kind].wrote.data).sort(),
      );
      expect(Object.keys(definition.topics).length).toBeGreaterThan(0);
    }
  });

  it.each(Object.values(CATALOG_CHANGE_CASES))(
    'catalog.changed ($change): one row on the catalog topic, with the change',
    (input) => {
      expect(rowsOf('catalog.changed', input)).toEqual([
        ['gateway', 'catalog.changed', input.subjectId, { change: input.change }],
      ]);
    },
  );

  it('puts only a pending grant request in the review queue', () => {
    const { input } = CASES['grant.requested'];
    for (const status of ['APPROVED', 'REJECTED'] as const) {
      expect(rowsOf('grant.requested', { ...input, status }).map(([topic]) => topic)).toEqual([
        `org:${ORG}`,
      ]);
    }
  });

  it('stores only the fields of the kind, whatever else the caller passes', () => {
    const withMore = { ...CASES['credential.revoked'].input, secret: 'sk_live_do_not_store' };
    expect(rowsOf('credential.revoked', withMore)).toEqual(expectedRows('credential.revoked'));
  });

  it('refuses an event without a field of its payload or an id of its topics', () => {
    const noField = {
      subjectId: 'app_1',
      organizationId: ORG,
    } as unknown as EventInput<'app.updated'>;
    expect(() => eventRows('app.updated', noField)).toThrow(/app\.updated needs changed/);
    const nested = {
      ...CASES['app.updated'].input,
      changed: { name: true },
    } as unknown as EventInput<'app.updated'>;
    expect(() => eventRows('app.updated', nested)).toThrow(/app\.updated needs changed/);
    const noOrg = { subjectId: 'app_1', changed: 'name' } as unknown as EventInput<'app.updated'>;
    expect(() => eventRows('app.updated', noOrg)).toThrow(/needs organizationId/);
  });
});

describe('isEvent', () => {
  const record = (kind: string, data: EventData): EventRecord => ({
    id: '1',
    topic: 'org:org_x',
    kind,
    subjectId: 'crd_1',
    data,
    createdAt: new Date(0),
  });

  it('selects by kind and types the payload', () => {
    const event = record('credential.revoked', { appId: 'app_1', kind: 'BEARER_TOKEN' });
    expect(isEvent(event, 'credential.rotated')).toBe(false);
    expect(isEvent(event, ['app.suspended', 'app.unsuspended'])).toBe(false);
    if (!isEvent(event, ['credential.revoked', 'credential.rotated'])) {
      throw new Error('expected a credential event');
    }
    expectTypeOf(event.data).toExtend<EventMap['credential.revoked']['data']>();
    expectTypeOf(event.data.appId).toEqualTypeOf<string>();
    expectTypeOf(event.data.kind).toEqualTypeOf<CredentialKindName>();
    expectTypeOf(event.kind).toEqualTypeOf<'credential.revoked' | 'credential.rotated'>();
    expect(event.data.appId).toBe('app_1');
    // Still the record it was.
    expect(event.topic).toBe('org:org_x');
  });

  it('finds the kinds whose payload has a field', () => {
    const kinds = kindsWithField('decidedById');
    expect([...kinds].sort()).toEqual([
      'application.decided',
      'grant.decided',
      'grant.requested',
      'grant.withdrawn',
      'personal_access_token.reviewed',
    ]);
    expect(kindsWithField('nothing')).toEqual([]);
  });
});
