import { describe, expect, it } from 'vitest';
import { kindColor, kindLabel, lifecycleBadges } from './lifecycle';

const now = new Date('2026-06-01T12:00:00Z');

describe('lifecycleBadges', () => {
  it('shows nothing without dates', () => {
    expect(lifecycleBadges(null, null, now)).toEqual([]);
  });

  it('announces a deprecation to come, then marks it deprecated', () => {
    expect(lifecycleBadges('2026-07-01T00:00:00Z', null, now).map((b) => b.label)).toEqual([
      'Deprecated from 1 Jul 2026',
    ]);
    expect(lifecycleBadges('2026-05-01T00:00:00Z', null, now)).toMatchObject([
      { label: 'Deprecated', color: 'orange' },
    ]);
  });

  it('counts down to the sunset, red in its last 30 days, then shows Sunset alone', () => {
    const far = lifecycleBadges('2026-05-01T00:00:00Z', '2026-12-01T00:00:00Z', now);
    expect(far.map((b) => [b.label, b.color])).toEqual([
      ['Deprecated', 'orange'],
      ['Sunset 1 Dec 2026', 'orange'],
    ]);
    const near = lifecycleBadges('2026-05-01T00:00:00Z', '2026-06-11T12:00:00Z', now);
    expect(near[1]).toMatchObject({
      color: 'red',
      detail: expect.stringContaining('10 days left'),
    });
    expect(lifecycleBadges('2026-01-01T00:00:00Z', '2026-05-31T00:00:00Z', now)).toMatchObject([
      { label: 'Sunset', color: 'red' },
    ]);
  });
});

describe('changelog kinds', () => {
  it('reads and colours a kind', () => {
    expect(kindLabel('BREAKING_CHANGE')).toBe('Breaking change');
    expect(kindColor('BREAKING_CHANGE')).toBe('red');
    expect(kindColor('DEPRECATION')).toBe('orange');
    expect(kindColor('ADDED')).toBe('teal');
    expect(kindColor('CHANGED')).toBe('blue');
  });
});
