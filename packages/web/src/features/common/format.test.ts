import { describe, expect, it } from 'vitest';
import { formatRelative, safeNext } from './format';

describe('safeNext', () => {
  it('keeps same-origin paths', () => {
    expect(safeNext('/orgs/org_1/team?tab=invited')).toBe('/orgs/org_1/team?tab=invited');
  });
  it('refuses other origins and empty values', () => {
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext(null, '/account')).toBe('/account');
  });
});

describe('formatRelative', () => {
  it('describes past and future times', () => {
    const now = new Date('2025-01-10T12:00:00Z');
    expect(formatRelative('2025-01-08T12:00:00Z', now)).toMatch(/2 days ago/);
    expect(formatRelative('2025-01-10T14:00:00Z', now)).toMatch(/in 2 hours/);
    expect(formatRelative('2025-01-10T11:59:50Z', now)).toBe('just now');
  });
});
