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

/** Checks shape and checksum without touching any store. */
export function hasValidChecksum(token: string, prefix: string): boolean {
  if (!token.startsWith(`${prefix}_`)) return false;
  const body = token.slice(prefix.length + 1);
  if (body.length !== RANDOM_LENGTH + CHECKSUM_LENGTH || !/^[0-9A-Za-z]+$/.test(body)) return false;
  // The checksum is public (anyone holding the token can compute it): a plain comparison.
  return (
    base62Fixed(crc32(body.slice(0, RANDOM_LENGTH)), CHECKSUM_LENGTH) === body.slice(RANDOM_LENGTH)
  );
}

export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}
