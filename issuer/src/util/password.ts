/**
 * @module util/password
 * Password hashing for the login page of the authorization code flow: scrypt (RFC 7914,
 * N=2^17, r=8, p=1: the OWASP Password Storage Cheat Sheet minimum) from node:crypto,
 * self-describing `scrypt$N$r$p$salt$hash`, constant-time check. Hashes made with a smaller N
 * (2^15 in earlier versions) still verify and are rehashed on the next successful login ({@link needsRehash}).
 */
import { scrypt, timingSafeEqual, randomBytes } from 'node:crypto'
import { base64urlDecode, base64urlEncode } from '@e2eid/shared'

/** Default scrypt cost N = 2^17 (128 MiB of memory per hash with r = 8). */
export const DEFAULT_SCRYPT_N = 1 << 17
const R = 8
const P = 1
const LEN = 32
const MAX_N = 1 << 20

function run(password: string, salt: Uint8Array, n: number, r: number, p: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    // scrypt needs 128·N·r bytes (128 MiB at N = 2^17, r = 8): node's default maxmem (32 MiB) would refuse it.
    scrypt(password.normalize('NFC'), salt, LEN, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) => (err ? reject(err) : resolve(new Uint8Array(key))))
  })
}

function checkN(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2 || n > MAX_N || (n & (n - 1)) !== 0) throw new RangeError('scrypt N must be a power of two in [2, 2^20]')
  return n
}

/** Hashes a password for storage in {@link UserRecord.passwordHash}; `n` is the scrypt cost (default 2^17). */
export async function hashPassword(password: string, n: number = DEFAULT_SCRYPT_N): Promise<string> {
  const salt = new Uint8Array(randomBytes(16))
  const key = await run(password, salt, checkN(n), R, P)
  return `scrypt$${n}$${R}$${P}$${base64urlEncode(salt)}$${base64urlEncode(key)}`
}

function parse(stored: string): { n: number; r: number; p: number; salt: string; hash: string } | null {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
  if (![n, r, p].every((v) => Number.isSafeInteger(v) && v > 0) || n > MAX_N || r > 32 || p > 16) return null
  return { n, r, p, salt: parts[4]!, hash: parts[5]! }
}

/** True when `password` matches `stored` (false for a malformed or null hash). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (stored === null || password.length > 1024) return false
  const h = parse(stored)
  if (h === null) return false
  try {
    const expected = base64urlDecode(h.hash)
    const key = await run(password, base64urlDecode(h.salt), h.n, h.r, h.p)
    return key.length === expected.length && timingSafeEqual(key, expected)
  } catch {
    return false
  }
}

/** True when `stored` was made with weaker parameters than the current ones (cost `n`): rehash it after a successful login. */
export function needsRehash(stored: string, n: number = DEFAULT_SCRYPT_N): boolean {
  const h = parse(stored)
  return h === null || h.n < n || h.r < R
}

const dummies = new Map<number, Promise<string>>()

/**
 * A hash of a random password at cost `n`, made once per process. Checking a password against it costs
 * the same as against a real user's hash, so an unknown user id is not told apart by timing.
 */
export function dummyPasswordHash(n: number = DEFAULT_SCRYPT_N): Promise<string> {
  let d = dummies.get(n)
  if (d === undefined) dummies.set(n, (d = hashPassword(base64urlEncode(new Uint8Array(randomBytes(16))), n)))
  return d
}
