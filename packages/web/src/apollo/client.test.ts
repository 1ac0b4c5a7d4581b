import { describe, expect, it } from 'vitest';
import { websocketUrl } from './client';

describe('websocketUrl', () => {
  it('follows the page protocol', () => {
    expect(websocketUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe(
      'ws://localhost:5173/graphql',
    );
    expect(websocketUrl({ protocol: 'https:', host: 'portal.example' })).toBe(
      'wss://portal.example/graphql',
    );
  });
});
