import { describe, expect, it } from 'vitest';
import { isNewerEventId } from './useLiveEvents';

describe('isNewerEventId', () => {
  it('accepts any id when none was seen', () => {
    expect(isNewerEventId('5', null)).toBe(true);
  });

  it('compares numeric ids as integers', () => {
    expect(isNewerEventId('10', '9')).toBe(true);
    expect(isNewerEventId('9', '10')).toBe(false);
    expect(isNewerEventId('10', '10')).toBe(false);
    expect(isNewerEventId('90071992547409930', '90071992547409929')).toBe(true);
  });
});
