import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PorticoError } from '../errors.js';
import { fields, isForbiddenHost, parseInput, urlProblem } from './validation.js';

const BIDI = [
  '\u061C',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];
const ZERO_WIDTH = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'];
/** C0 (but tab, line feed, carriage return), DEL and C1. */
const CONTROLS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u000E',
  '\u001B',
  '\u001F',
  '\u007F',
  '\u0080',
  '\u0085',
  '\u009F',
];
const LINE_BREAKS = ['\t', '\n', '\r', '\u2028', '\u2029'];
const UNPAIRED = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uDC00\uD800'];

const hex = (text: string): string =>
  [...text].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(' ');

/** The BAD_USER_INPUT parseInput throws, as field and message. */
function refusal(schema: z.ZodType, input: unknown): { field: unknown; message: string } {
  try {
    parseInput(schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(PorticoError);
    const { extensions, message } = error as PorticoError;
    expect(extensions.code).toBe('BAD_USER_INPUT');
    return { field: extensions.field, message };
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('fields.line (names, labels, titles, slugs)', () => {
  const schema = z.object({ name: fields.name('Name') });

  it.each([...BIDI, ...ZERO_WIDTH.slice(0, -1), ...CONTROLS, ...LINE_BREAKS, ...UNPAIRED])(
    'refuses %j inside a name, naming the field',
    (character) => {
      const { field, message } = refusal(schema, { name: `Acme${character}Corp` });
      expect(field, hex(character)).toBe('name');
      expect(message).toMatch(/^Name must not contain/);
    },
  );

  it('refuses a zero-width no-break space inside (and trims it at either end, as whitespace)', () => {
    expect(refusal(schema, { name: 'Ac\uFEFFme' }).field).toBe('name');
    expect(parseInput(schema, { name: '\uFEFFAcme\uFEFF' })).toEqual({ name: 'Acme' });
  });

  it('trims, normalizes to NFC and keeps the messages of lengths', () => {
    expect(parseInput(schema, { name: '  Cafe\u0301 ' })).toEqual({ name: 'Caf\u00E9' });
    expect(parseInput(schema, { name: 'Zoë 東京 🚀 مرحبا' })).toEqual({
      name: 'Zoë 東京 🚀 مرحبا',
    });
    expect(refusal(schema, { name: '   ' }).message).toBe('Name is required.');
    expect(refusal(schema, { name: 'x'.repeat(101) }).message).toBe(
      'Name must be at most 100 characters.',
    );
    expect(refusal(schema, {}).message).toBe('Name is required.');
  });

  it('counts the length after NFC normalization', () => {
    const short = z.object({ label: fields.name('Label', 3) });
    expect(parseInput(short, { label: 'e\u0301e\u0301e\u0301' })).toEqual({ label: 'ééé' });
  });
});

describe('fields.text (descriptions, reasons, Markdown)', () => {
  const schema = z.object({ description: fields.optionalText('Description') });

  it.each([...CONTROLS, ...UNPAIRED])('refuses %j, naming the field', (character) => {
    const { field, message } = refusal(schema, { description: `Line one${character}line two` });
    expect(field, hex(character)).toBe('description');
    expect(message).toBe('Description must not contain control characters or broken Unicode.');
  });

  it('keeps line breaks, tabs, bidi text and emoji; trims and normalizes to NFC', () => {
    const markdown = '# Title\r\n\n- item\twith tab\n\n> مرحبا \u202Bquoted\u202C 🚀 cafe\u0301';
    expect(parseInput(schema, { description: `  ${markdown}\n` })).toEqual({
      description: markdown.normalize('NFC'),
    });
  });

  it('keeps paired surrogates (emoji outside the basic plane)', () => {
    expect(parseInput(schema, { description: '\uD83D\uDE80' })).toEqual({ description: '🚀' });
  });
});

describe('URLs', () => {
  const schema = z.object({ websiteUrl: fields.optionalUrl('Website URL') });

  it.each([
    'https://example.com/',
    'http://example.com:8080/path?q=1#top',
    'https://sub.example.co.uk/a/b',
    'http://localhost:3000/',
    'https://[2001:db8::1]/',
    'https://169.254.example.com/',
    'https://example.com/@user',
    'https://example.com/?next=a@b',
    'https://10.0.0.1/',
  ])('accepts %s', (url) => {
    expect(urlProblem(url)).toBeNull();
    expect(parseInput(schema, { websiteUrl: url })).toEqual({ websiteUrl: url });
  });

  it.each([
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'https://:@example.com/',
    'https://@example.com/',
    'http://a@b@example.com/',
    'https://example.com@evil.example/',
  ])('refuses userinfo in %s', (url) => {
    expect(urlProblem(url)).toBe('userinfo');
    expect(refusal(schema, { websiteUrl: url })).toEqual({
      field: 'websiteUrl',
      message: 'Website URL must not hold a user name or password.',
    });
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://169.254.0.1/',
    'http://169.254.255.255:8080/',
    'http://2852039166/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://0251.0376.0251.0376/',
    'http://[fe80::1]/',
    'http://[febf:ffff::1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::169.254.169.254]/',
    'http://[64:ff9b::169.254.169.254]/',
    'http://[fd00:ec2::254]/',
    'http://[fd00:ec2:0:0:0:0:0:254]/',
    'http://100.100.100.200/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://METADATA.GOOGLE.INTERNAL./',
    'http://metadata.goog/',
    'http://metadata/',
    'http://instance-data.ec2.internal/',
    'http://0.0.0.0/',
    'http://0/',
    'http://0.0.0.0.:8080/',
    'http://[::]/',
    'http://[0:0:0:0:0:0:0:0]/',
    'http://[::ffff:0.0.0.0]/',
  ])('refuses the link-local, metadata or unspecified host of %s', (url) => {
    expect(urlProblem(url)).toBe('forbidden-host');
    expect(refusal(schema, { websiteUrl: url })).toEqual({
      field: 'websiteUrl',
      message: 'Website URL must not point to a link-local, cloud metadata or unspecified address.',
    });
  });

  it.each(['ftp://example.com/', 'javascript:alert(1)', 'example.com', '/relative', 'https://'])(
    'keeps the existing message for %s',
    (url) => {
      expect(refusal(schema, { websiteUrl: url })).toEqual({
        field: 'websiteUrl',
        message: 'Website URL must be an http(s) URL.',
      });
    },
  );

  it('refuses control characters the URL parser would silently drop', () => {
    expect(refusal(schema, { websiteUrl: 'https://exa\nmple.com/' }).field).toBe('websiteUrl');
    expect(refusal(schema, { websiteUrl: 'https://example.com/\u202Egnp.exe' }).field).toBe(
      'websiteUrl',
    );
  });

  it('treats null and empty as none', () => {
    expect(parseInput(schema, { websiteUrl: '' })).toEqual({ websiteUrl: null });
    expect(parseInput(schema, { websiteUrl: null })).toEqual({ websiteUrl: null });
  });

  it('leaves loopback and private hosts alone (only link-local, metadata, unspecified)', () => {
    for (const host of [
      '127.0.0.1',
      '[::1]',
      'localhost',
      '10.1.2.3',
      '192.168.0.1',
      '[fc00::1]',
    ]) {
      expect(isForbiddenHost(host), host).toBe(false);
    }
  });
});
