/**
 * Original paths that try to start in one product (`a`, a prefix such as `/g1x1`) and land in
 * another (`b`) for an upstream that decodes, splits or resolves them differently. Portico
 * refuses each with 400 `ambiguous_path` and the reason given (src/gateway/original-uri.ts).
 * Raw bytes are written as latin1 characters (`\u00c0` is the byte 0xC0).
 */
export interface PathTrick {
  name: string;
  uri(a: string, b: string): string;
  reason: string;
}

/** `b` without its leading slash. */
const tail = (b: string): string => b.slice(1);

export const PATH_TRICKS: readonly PathTrick[] = [
  { name: '%2e%2e segment', uri: (a, b) => `${a}/%2e%2e${b}/x`, reason: 'encoded_dot_segment' },
  { name: '%2E%2E segment', uri: (a, b) => `${a}/%2E%2E${b}/x`, reason: 'encoded_dot_segment' },
  { name: '.%2e segment', uri: (a, b) => `${a}/.%2e${b}/x`, reason: 'encoded_dot_segment' },
  { name: '%2e. segment', uri: (a, b) => `${a}/%2e.${b}/x`, reason: 'encoded_dot_segment' },
  { name: '%2e segment', uri: (a) => `${a}/%2e/x`, reason: 'encoded_dot_segment' },
  {
    name: '%252e%252e (double)',
    uri: (a, b) => `${a}/%252e%252e${b}/x`,
    reason: 'double_encoding',
  },
  {
    name: '%25252e (triple)',
    uri: (a, b) => `${a}/%25252e%25252e${b}/x`,
    reason: 'double_encoding',
  },
  {
    name: '%252f (double slash)',
    uri: (a, b) => `${a}/..%252f${tail(b)}/x`,
    reason: 'double_encoding',
  },
  { name: '..%2f', uri: (a, b) => `${a}/..%2f${tail(b)}/x`, reason: 'encoded_separator' },
  { name: '%2F..%2F', uri: (a, b) => `${a}%2F..%2F..${b}/x`, reason: 'encoded_separator' },
  { name: '..%5c', uri: (a, b) => `${a}/..%5c${tail(b)}/x`, reason: 'encoded_separator' },
  { name: '%5C', uri: (a, b) => `${a}/%5C..%5C..${b}/x`, reason: 'encoded_separator' },
  { name: 'literal backslash', uri: (a, b) => `${a}/..\\${tail(b)}/x`, reason: 'backslash' },
  { name: '%00', uri: (a, b) => `${a}/x%00/../..${b}/x`, reason: 'encoded_control_character' },
  { name: '%0a', uri: (a) => `${a}/x%0a`, reason: 'encoded_control_character' },
  { name: '%7f', uri: (a) => `${a}/x%7f`, reason: 'encoded_control_character' },
  { name: 'overlong %c0%ae', uri: (a, b) => `${a}/%c0%ae%c0%ae${b}/x`, reason: 'invalid_utf8' },
  {
    name: 'overlong %e0%80%ae',
    uri: (a, b) => `${a}/%e0%80%ae%e0%80%ae${b}/x`,
    reason: 'invalid_utf8',
  },
  { name: 'overlong / %c0%af', uri: (a, b) => `${a}/..%c0%af${tail(b)}/x`, reason: 'invalid_utf8' },
  {
    name: 'overlong \\ %c1%9c',
    uri: (a, b) => `${a}/..%c1%9c${tail(b)}/x`,
    reason: 'invalid_utf8',
  },
  { name: 'lone continuation byte', uri: (a) => `${a}/%80`, reason: 'invalid_utf8' },
  { name: 'truncated UTF-8', uri: (a) => `${a}/%c3`, reason: 'invalid_utf8' },
  { name: 'encoded surrogate', uri: (a) => `${a}/%ed%a0%80`, reason: 'invalid_utf8' },
  { name: '% without hex', uri: (a) => `${a}/%zz`, reason: 'invalid_percent_encoding' },
  { name: 'cut-off escape', uri: (a) => `${a}/x%2`, reason: 'invalid_percent_encoding' },
  { name: '..;', uri: (a, b) => `${a}/..;${b}/x`, reason: 'dot_segment_parameters' },
  { name: '..;x', uri: (a, b) => `${a}/..;x${b}/x`, reason: 'dot_segment_parameters' },
  { name: '..%3B', uri: (a, b) => `${a}/..%3B${b}/x`, reason: 'dot_segment_parameters' },
  { name: '.. above the root', uri: (_a, b) => `/..${b}/x`, reason: 'above_root' },
  { name: 'leading // (a host)', uri: (a, b) => `/${a}${b}/x`, reason: 'empty_segment' },
  { name: '..//', uri: (a, b) => `${a}/..//${tail(b)}/x`, reason: 'empty_segment' },
  { name: 'a space', uri: (a) => `${a}/x y`, reason: 'control_character' },
  { name: 'a tab', uri: (a) => `${a}/x\ty`, reason: 'control_character' },
  { name: 'a raw non-ASCII byte', uri: (a) => `${a}/caf\u00e9`, reason: 'control_character' },
  {
    name: 'raw overlong bytes',
    uri: (a, b) => `${a}/\u00c0\u00ae\u00c0\u00ae${b}/x`,
    reason: 'control_character',
  },
];

/** Unusual but unambiguous paths under `a`, and the normalized path each stands for. */
export const PLAIN_FORMS: readonly {
  name: string;
  uri(a: string): string;
  path(a: string): string;
}[] = [
  { name: 'an encoded letter', uri: (a) => `${a}/%61b`, path: (a) => `${a}/ab` },
  {
    name: 'an encoded dot in a name',
    uri: (a) => `${a}/file%2ejson`,
    path: (a) => `${a}/file.json`,
  },
  { name: 'an encoded tilde', uri: (a) => `${a}/%7euser`, path: (a) => `${a}/~user` },
  { name: 'a raw dot segment', uri: (a) => `${a}/x/../y`, path: (a) => `${a}/y` },
  { name: 'a single dot', uri: (a) => `${a}/./y`, path: (a) => `${a}/y` },
  { name: 'an empty segment', uri: (a) => `${a}//y`, path: (a) => `${a}/y` },
  { name: 'an encoded space', uri: (a) => `${a}/x%20y`, path: (a) => `${a}/x%20y` },
  { name: 'an encoded question mark', uri: (a) => `${a}/x%3fy`, path: (a) => `${a}/x%3Fy` },
  { name: 'a literal percent sign', uri: (a) => `${a}/100%25`, path: (a) => `${a}/100%25` },
  { name: 'UTF-8', uri: (a) => `${a}/caf%c3%a9`, path: (a) => `${a}/caf%C3%A9` },
  { name: 'parameters', uri: (a) => `${a}/x;v=1`, path: (a) => `${a}/x;v=1` },
  { name: 'a query', uri: (a) => `${a}/x?next=..%2f..%2f&y=%00`, path: (a) => `${a}/x` },
];
