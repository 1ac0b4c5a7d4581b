import { hash } from 'node:crypto';
import { randomBase62 } from './ids.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crcOf(length: number, at: (i: number) => number): number {
  let crc = 0xffffffff;
  for (let i = 0; i < length; i++) {
    crc = (CRC_TABLE[(crc ^ at(i)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC32 of the UTF-8 bytes of `text` (ASCII, as every token is, without making a Buffer). */
export function crc32(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      const bytes = Buffer.from(text, 'utf8');
      return crcOf(bytes.length, (j) => bytes[j] as number);
    }
  }
  return crcOf(text.length, (j) => text.charCodeAt(j));
}

function base62Fixed(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;

/** `<prefix>_<32 base62 random><6 base62 CRC32 of the random part>` */
export function generateToken(prefix: string): string {
  const random = randomBase62(RANDOM_LENGTH);
  return `${prefix}_${random}${base62Fixed(crc32(random), CHECKSUM_LENGTH)}`;
}

const BASE62_DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62.length; i++) BASE62_DIGITS[BASE62.charCodeAt(i)] = i;

/**
 * Checks shape and checksum without touching any store. Reads the token in place (no slices,
 * no strings made): it runs on every credential a gateway presents.
 */
export function hasValidChecksum(token: string, prefix: string): boolean {
  const start = prefix.length + 1;
  if (token.length !== start + RANDOM_LENGTH + CHECKSUM_LENGTH) return false;
  if (!token.startsWith(prefix) || token.charCodeAt(prefix.length) !== 95) return false;
  // The random part: base62 characters (ASCII), with their CRC32.
  let crc = 0xffffffff;
  const randomEnd = start + RANDOM_LENGTH;
  for (let i = start; i < randomEnd; i++) {
    const code = token.charCodeAt(i);
    if (code > 127 || (BASE62_DIGITS[code] as number) < 0) return false;
    crc = (CRC_TABLE[(crc ^ code) & 0xff] as number) ^ (crc >>> 8);
  }
  // The checksum: the CRC32 in base62, most significant digit first (as base62Fixed writes it).
  let rest = (crc ^ 0xffffffff) >>> 0;
  // The checksum is public (anyone holding the token can compute it): a plain comparison.
  for (let i = token.length - 1; i >= randomEnd; i--) {
    const code = token.charCodeAt(i);
    if (code > 127 || BASE62_DIGITS[code] !== rest % 62) return false;
    rest = Math.floor(rest / 62);
  }
  return true;
}

export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}
