/**
 * @module util/password
 * Password hashing for the login page of the authorization code flow: scrypt (RFC 7914,
 * N=2^15, r=8, p=1) from node:crypto, self-describing `scrypt$N$r$p$salt$hash`, constant-time check.
 */
import { scrypt, timingSafeEqual, randomBytes } from 'node:crypto'
import { base64urlDecode, base64urlEncode } from '@e2eid/shared'

const N = 1 << 15
const R = 8
const P = 1
const LEN = 32

function run(password: string, salt: Uint8Array, n: number, r: number, p: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, LEN, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) => (err ? reject(err) : resolve(new Uint8Array(key))))
  })
}

/** Hashes a password for storage in {@link UserRecord.passwordHash}. */
export async function hashPassword(password: string): Promise<string> {
  const salt = new Uint8Array(randomBytes(16))
  const key = await run(password, salt, N, R, P)
  return `scrypt$${N}$${R}$${P}$${base64urlEncode(salt)}$${base64urlEncode(key)}`
}

/** True when `password` matches `stored` (false for a malformed or null hash). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (stored === null || password.length > 1024) return false
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
  if (![n, r, p].every((v) => Number.isSafeInteger(v) && v > 0) || n > 1 << 20) return false
  try {
    const expected = base64urlDecode(parts[5]!)
    const key = await run(password, base64urlDecode(parts[4]!), n, r, p)
    return key.length === expected.length && timingSafeEqual(key, expected)
  } catch {
    return false
  }
}
