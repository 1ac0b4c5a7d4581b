/**
 * The one normalization of an original request path, applied before a product is picked (see
 * the README, "Gateways"). It is what NGINX does to a path before matching it, on every path
 * it accepts:
 *
 * 1. The query and fragment are cut off.
 * 2. Percent-escapes of unreserved characters (`A-Z a-z 0-9 - . _ ~`) are decoded, once;
 *    every other escape stays, in upper case.
 * 3. Empty segments are merged (`//` → `/`).
 * 4. `.` and `..` segments are resolved.
 *
 * A path whose meaning still depends on who reads it is refused, with the reason: an escape
 * that another decoder would read as a separator, a dot segment, a NUL or a control character;
 * an escape of an escape; bytes that are not shortest-form UTF-8 (overlong `%c0%ae`); a
 * backslash; raw bytes outside printable ASCII; a dot segment with parameters (`..;x`, which
 * Java servers resolve); a path that climbs above the root; an empty segment at the start
 * (`//host/…` reads as a host) or beside a dot segment (merged or not, `..` pops another
 * segment).
 */

export type UriProblem =
  | 'not_a_path'
  | 'control_character'
  | 'backslash'
  | 'invalid_percent_encoding'
  | 'encoded_separator'
  | 'encoded_control_character'
  | 'double_encoding'
  | 'invalid_utf8'
  | 'encoded_dot_segment'
  | 'dot_segment_parameters'
  | 'above_root'
  | 'empty_segment';

export const URI_PROBLEMS: Readonly<Record<UriProblem, string>> = {
  not_a_path: 'The original URI must be a path starting with "/".',
  control_character:
    'The original URI holds a space, a control character or a raw non-ASCII byte: percent-encode it.',
  backslash: 'The original path holds a backslash.',
  invalid_percent_encoding: 'The original path holds a "%" that does not start a percent-escape.',
  encoded_separator: 'The original path holds an encoded slash or backslash (%2F, %5C).',
  encoded_control_character:
    'The original path holds an encoded NUL or control character (%00-%1F, %7F).',
  double_encoding: 'The original path holds a double-encoded escape (%25 followed by hex digits).',
  invalid_utf8:
    'The original path holds percent-encoded bytes that are not shortest-form UTF-8 (e.g. an overlong dot).',
  encoded_dot_segment: 'The original path holds a percent-encoded "." or ".." segment.',
  dot_segment_parameters: 'The original path holds a "." or ".." segment with parameters (";").',
  above_root: 'The original path climbs above the root with "..".',
  empty_segment: 'The original path starts with "//" or has an empty segment beside a dot segment.',
};

const MAX_URI = 8192;
/** Characters a plain segment may hold: RFC 3986's pchar without percent-escapes. */
const SEGMENT_CHARS = new Uint8Array(128);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@") {
  SEGMENT_CHARS[char.charCodeAt(0)] = 1;
}
const SLASH = 47;
const DOT = 46;
const SEMICOLON = 59;

/**
 * Whether `uri`'s path (up to `end`) normalizes to itself: `/`, or segments of plain
 * characters, none of them empty, `.` or `..` (nor `.;…` or `..;…`), maybe with a trailing
 * slash. Anything else takes the slow path. A scan, not a regular expression: every
 * verification asks. Exported for its test, which holds it to the grammar.
 */
export function isPlainPath(uri: string, end: number): boolean {
  if (end === 1) return true;
  let at = 0;
  while (at < end) {
    // `at` is a slash; the segment starts after it.
    const start = at + 1;
    if (start === end) return true;
    if (uri.charCodeAt(start) === DOT) {
      let next = start + 1;
      if (next < end && uri.charCodeAt(next) === DOT) next += 1;
      if (next === end) return false;
      const after = uri.charCodeAt(next);
      if (after === SLASH || after === SEMICOLON) return false;
    }
    let i = start;
    for (; i < end; i++) {
      const code = uri.charCodeAt(i);
      if (code === SLASH) break;
      if (code >= 128 || SEGMENT_CHARS[code] === 0) return false;
    }
    if (i === start) return false;
    at = i;
  }
  return true;
}

/** Whether `uri` from `from` on is printable ASCII without spaces (0x21 to 0x7e). */
function isPrintableFrom(uri: string, from: number): boolean {
  for (let i = from; i < uri.length; i++) {
    const code = uri.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const HEX = /^[0-9A-Fa-f]{2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The normalized path of an original URI (path, maybe a query), or the problem that makes it
 * ambiguous. Returns the input's path itself, without allocating, when nothing needs doing.
 */
export function normalizeOriginalPath(uri: string): string | { problem: UriProblem } {
  if (uri.length === 0 || uri.length > MAX_URI || uri.charCodeAt(0) !== SLASH) {
    return { problem: 'not_a_path' };
  }
  let end = uri.length;
  const query = uri.indexOf('?');
  if (query !== -1) end = query;
  const hash = uri.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  if (isPlainPath(uri, end)) {
    // The path holds only printable characters; what follows it must too.
    if (!isPrintableFrom(uri, end)) return { problem: 'control_character' };
    return end === uri.length ? uri : uri.slice(0, end);
  }
  if (!isPrintableFrom(uri, 0)) return { problem: 'control_character' };
  const raw = end === uri.length ? uri : uri.slice(0, end);
  if (raw.includes('\\')) return { problem: 'backslash' };
  return normalizeSlowly(raw);
}

interface Segment {
  /** After decoding unreserved escapes. */
  text: string;
  /** Whether a `.` in it was percent-encoded. */
  encodedDot: boolean;
}

function normalizeSlowly(raw: string): string | { problem: UriProblem } {
  const segments: Segment[] = [];
  let text = '';
  let encodedDot = false;
  for (let i = 1; i <= raw.length; i++) {
    const char = raw[i];
    if (char === undefined || char === '/') {
      segments.push({ text, encodedDot });
      text = '';
      encodedDot = false;
      continue;
    }
    if (char !== '%') {
      text += char;
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!HEX.test(hex)) return { problem: 'invalid_percent_encoding' };
    const byte = parseInt(hex, 16);
    if (byte >= 0x80) {
      // A run of escaped bytes must be UTF-8 in its shortest form: no overlong dot or slash.
      const bytes: number[] = [];
      let j = i;
      while (raw[j] === '%' && HEX.test(raw.slice(j + 1, j + 3))) {
        const next = parseInt(raw.slice(j + 1, j + 3), 16);
        if (next < 0x80) break;
        bytes.push(next);
        j += 3;
      }
      try {
        utf8.decode(Uint8Array.from(bytes));
      } catch {
        return { problem: 'invalid_utf8' };
      }
      text += raw.slice(i, j).toUpperCase();
      i = j - 1;
      continue;
    }
    if (byte === 0x2f || byte === 0x5c) return { problem: 'encoded_separator' };
    if (byte < 0x20 || byte === 0x7f) return { problem: 'encoded_control_character' };
    if (byte === 0x25) {
      if (HEX.test(raw.slice(i + 3, i + 5))) return { problem: 'double_encoding' };
      text += '%25';
    } else {
      const decoded = String.fromCharCode(byte);
      if (UNRESERVED.test(decoded)) {
        text += decoded;
        if (decoded === '.') encodedDot = true;
      } else {
        text += `%${hex.toUpperCase()}`;
      }
    }
    i += 2;
  }

  // segments[0] is the first segment after the leading "/".
  const isDots = (value: string): boolean => value === '.' || value === '..';
  const hasDotSegment = segments.some((segment) => isDots(segment.text));
  const out: string[] = [];
  let trailingSlash = false;
  for (let index = 0; index < segments.length; index++) {
    const { text, encodedDot } = segments[index] as Segment;
    const last = index === segments.length - 1;
    if (isDots(text) && encodedDot) return { problem: 'encoded_dot_segment' };
    const bare = text.split(/;|%3B/)[0] ?? '';
    if (isDots(bare) && bare !== text) return { problem: 'dot_segment_parameters' };
    trailingSlash = last && (text === '' || isDots(text));
    if (text === '') {
      if (!last && (index === 0 || hasDotSegment)) return { problem: 'empty_segment' };
    } else if (text === '..') {
      if (out.pop() === undefined) return { problem: 'above_root' };
    } else if (text !== '.') {
      out.push(text);
    }
  }
  return `/${out.join('/')}${trailingSlash && out.length > 0 ? '/' : ''}`;
}
