import { createHash, timingSafeEqual } from 'node:crypto';
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

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
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
  const random = body.slice(0, RANDOM_LENGTH);
  const expected = Buffer.from(base62Fixed(crc32(random), CHECKSUM_LENGTH));
  return timingSafeEqual(expected, Buffer.from(body.slice(RANDOM_LENGTH)));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
