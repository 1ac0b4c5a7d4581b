import { describe, expect, it } from 'vitest';
import { formatTopic, parseTopic, topics, type ParsedTopic } from './topics.js';

describe('topics', () => {
  it('are stored as they always were', () => {
    expect(topics.reviewQueue).toBe('review_queue');
    expect(topics.catalog).toBe('gateway');
    expect(topics.access).toBe('access');
    expect(topics.org('org_abc')).toBe('org:org_abc');
    expect(topics.user('usr_abc')).toBe('user:usr_abc');
  });

  it.each<[string, ParsedTopic]>([
    [topics.reviewQueue, { kind: 'reviewQueue' }],
    [topics.catalog, { kind: 'catalog' }],
    [topics.access, { kind: 'access' }],
    [topics.org('org_2xk9'), { kind: 'org', organizationId: 'org_2xk9' }],
    [topics.user('usr_7qp'), { kind: 'user', userId: 'usr_7qp' }],
    // Only the prefix is the topic's: the rest is the id, whatever it holds.
    [topics.org('org:x'), { kind: 'org', organizationId: 'org:x' }],
  ])('%s is built and parsed back', (topic, parsed) => {
    expect(parseTopic(topic)).toEqual(parsed);
    expect(formatTopic(parsed)).toBe(topic);
  });

  it.each(['', 'org:', 'user:', 'org', 'review_queue ', 'Gateway', 'team:org_x', 'usr:usr_x'])(
    '%j is no topic',
    (text) => {
      expect(parseTopic(text)).toBeNull();
    },
  );
});
