import { describe, expect, it } from 'vitest';
import { decidedByOtherMessage, formatAge } from './reviewFormat';

describe('formatAge', () => {
  it('reads like a duration', () => {
    expect(formatAge(30)).toBe('just now');
    expect(formatAge(45 * 60)).toBe('45 min');
    expect(formatAge(3 * 3600 + 100)).toBe('3 h');
    expect(formatAge(2 * 86400 + 4 * 3600)).toBe('2 d 4 h');
    expect(formatAge(10 * 86400 + 4 * 3600)).toBe('10 d');
  });
});

describe('decidedByOtherMessage', () => {
  const event = {
    kind: 'grant.decided',
    decidedBy: { id: 'u2', name: 'Sam Staff' },
    grant: { app: { name: 'Weather' }, product: { name: 'Maps API' } },
    application: null,
  };
  it('names who decided what', () => {
    expect(decidedByOtherMessage(event, 'u1')).toBe('Sam Staff decided Maps API for Weather');
  });
  it('stays quiet for own decisions and other kinds', () => {
    expect(decidedByOtherMessage(event, 'u2')).toBeNull();
    expect(decidedByOtherMessage({ ...event, kind: 'grant.requested' }, 'u1')).toBeNull();
  });
  it('describes applications', () => {
    expect(
      decidedByOtherMessage(
        {
          ...event,
          kind: 'application.decided',
          grant: null,
          application: { user: { name: 'Ada' } },
        },
        'u1',
      ),
    ).toBe("Sam Staff decided Ada's application");
  });
});
