import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/seeded-random.js';
import { isPlainPath, normalizeOriginalPath } from './original-uri.js';

/** What a plain path is, as a regular expression: the scan must agree with it everywhere. */
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:[/;]|$))[A-Za-z0-9\-._~!$&'()*+,;=:@]+)+\/?$|^\/$/;

// Heavy on what decides plainness: slashes, dots, semicolons, escapes, and characters just
// outside the allowed set.
const ALPHABET = [
  '/',
  '/',
  '/',
  '.',
  '.',
  '.',
  ';',
  'a',
  'Z',
  '0',
  '-',
  '_',
  '~',
  '%',
  '2',
  'e',
  ':',
  '@',
  '!',
  '=',
  ' ',
  '\\',
  '"',
  '<',
  '`',
  '{',
  '\u0000',
  '\u007f',
  'é',
  '?',
  '#',
];

describe('isPlainPath', () => {
  it('agrees with the plain-path grammar on 200,000 generated paths', () => {
    const next = seededRandom(20261202);
    const disagreements: string[] = [];
    for (let n = 0; n < 200_000; n++) {
      let path = '/';
      const length = Math.floor(next() * 12);
      for (let i = 0; i < length; i++) path += ALPHABET[Math.floor(next() * ALPHABET.length)];
      if (isPlainPath(path, path.length) !== PLAIN_PATH.test(path)) disagreements.push(path);
    }
    expect(disagreements).toEqual([]);
  });

  it('decides the cases at its edges as the grammar does', () => {
    const cases: [string, boolean][] = [
      ['/', true],
      ['/a', true],
      ['/a/', true],
      ['/a//b', false],
      ['//a', false],
      ['/.', false],
      ['/..', false],
      ['/./a', false],
      ['/../a', false],
      ['/.;x/a', false],
      ['/..;x', false],
      ['/.a', true],
      ['/..a', true],
      ['/...', true],
      ['/a/.', false],
      ['/a/..', false],
      ['/a/./', false],
      ['/a%2e', false],
      ['/a b', false],
    ];
    expect(cases.map(([path]) => [path, isPlainPath(path, path.length)])).toEqual(cases);
    expect(cases.map(([path]) => [path, PLAIN_PATH.test(path)])).toEqual(cases);
  });
});

describe('normalizeOriginalPath', () => {
  it('returns a plain path as it is, cut before its query or fragment', () => {
    expect(normalizeOriginalPath('/items/1')).toBe('/items/1');
    expect(normalizeOriginalPath('/items/1?page=2&x=%20')).toBe('/items/1');
    expect(normalizeOriginalPath('/items/1#top')).toBe('/items/1');
    expect(normalizeOriginalPath('/?q=1')).toBe('/');
  });

  it('refuses a control character or space after a plain path, in the query too', () => {
    expect(normalizeOriginalPath('/items?q=a b')).toEqual({ problem: 'control_character' });
    expect(normalizeOriginalPath('/items?q=\u0001')).toEqual({ problem: 'control_character' });
    expect(normalizeOriginalPath('/items?q=é')).toEqual({ problem: 'control_character' });
  });
});
