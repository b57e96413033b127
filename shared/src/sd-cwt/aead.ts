/**
 * @module sd-cwt/aead
 * AEAD-encrypted disclosures (§12 of -08): an entry of `sd_aead_encrypted_claims` (171)
 * is `[nonce, ciphertext, tag, ?key-context]`; the plaintext is the disclosure *as a CBOR byte string, head
 * included* (the same bytes the Redacted Claim Hash covers); associated data is empty. Algorithm from
 * `sd_aead` (172): AEAD_AES_128_GCM (1, default) or AEAD_AES_256_GCM (2), via WebCrypto; nonce 12 bytes, tag 16.
 */
import { E2eidError } from '../errors.js'
import { concatBytes } from '../encoding/bytes.js'
import { decodeCbor } from '../cbor/decode.js'
import { wrapBstr } from '../cbor/encode.js'

/** IANA AEAD algorithm ids supported for `sd_aead`. */
export const SD_AEAD = { AES_128_GCM: 1, AES_256_GCM: 2 } as const
const KEY_LENGTH = new Map<unknown, number>([
  [1, 16],
  [2, 32],
])
const NONCE_LENGTH = 12
const TAG_LENGTH = 16

/** A parsed `sd_aead_encrypted_claims` entry. */
export interface AeadEntry {
  nonce: Uint8Array
  ciphertext: Uint8Array
  tag: Uint8Array
  /** Optional key context (-08): uint, tstr, or bstr (e.g. a COSE Key Thumbprint of the key). */
  keyContext?: number | string | Uint8Array
}

/** Finds the decryption key of an entry (by key context, or by local configuration); undefined when not known. */
export type AeadKeyLookup = (entry: AeadEntry) => Uint8Array | undefined

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle
  if (s === undefined) throw new E2eidError('ERR_CRYPTO_UNAVAILABLE', 'WebCrypto is not available in this runtime')
  return s
}

function keyLength(alg: unknown): number {
  const n = KEY_LENGTH.get(alg ?? SD_AEAD.AES_128_GCM)
  if (n === undefined) throw new E2eidError('ERR_SDCWT_AEAD_UNSUPPORTED', `sd_aead ${String(alg)} is not supported (1 AES-128-GCM, 2 AES-256-GCM)`)
  return n
}

/** Parses one entry. Errors: ERR_SDCWT_AEAD_MALFORMED. */
export function parseAeadEntry(v: unknown): AeadEntry {
  if (!Array.isArray(v) || v.length < 3 || v.length > 4) throw new E2eidError('ERR_SDCWT_AEAD_MALFORMED', 'an encrypted disclosure must be [nonce, ciphertext, tag, ?key-context]')
  const [nonce, ciphertext, tag, keyContext] = v as unknown[]
  if (!(nonce instanceof Uint8Array) || !(ciphertext instanceof Uint8Array) || !(tag instanceof Uint8Array)) {
    throw new E2eidError('ERR_SDCWT_AEAD_MALFORMED', 'nonce, ciphertext and tag must be byte strings')
  }
  if (tag.length !== TAG_LENGTH) throw new E2eidError('ERR_SDCWT_AEAD_MALFORMED', `the authentication tag must be ${TAG_LENGTH} bytes`)
  const e: AeadEntry = { nonce, ciphertext, tag }
  if (v.length === 4) {
    if (!(keyContext instanceof Uint8Array) && typeof keyContext !== 'string' && !(typeof keyContext === 'number' && Number.isSafeInteger(keyContext) && keyContext >= 0)) {
      throw new E2eidError('ERR_SDCWT_AEAD_MALFORMED', 'the key context must be a uint, tstr or bstr')
    }
    e.keyContext = keyContext
  }
  return e
}

/** Encodes an entry as the array that goes into header 171. */
export function aeadEntryToCbor(e: AeadEntry): unknown[] {
  return e.keyContext === undefined ? [e.nonce, e.ciphertext, e.tag] : [e.nonce, e.ciphertext, e.tag, e.keyContext]
}

async function importKey(key: Uint8Array, alg: unknown, usage: KeyUsage): Promise<CryptoKey> {
  if (key.length !== keyLength(alg)) throw new E2eidError('ERR_SDCWT_AEAD_KEY_INVALID', `the AEAD key must be ${keyLength(alg)} bytes`)
  return subtle().importKey('raw', key as BufferSource, { name: 'AES-GCM' }, false, [usage])
}

/**
 * Decrypts an entry and returns the disclosure (the byte-string *content*, as an `sd_claims` element decodes).
 * `allowAnyNonceLength` exists only to check the superseded -07 vector (16-byte nonce).
 * Errors: ERR_SDCWT_AEAD_MALFORMED, ERR_SDCWT_AEAD_UNSUPPORTED, ERR_SDCWT_AEAD_KEY_INVALID, ERR_SDCWT_AEAD_DECRYPT_FAILED.
 */
export async function decryptAeadEntry(entry: AeadEntry, key: Uint8Array, sdAead?: unknown, allowAnyNonceLength = false): Promise<Uint8Array> {
  if (!allowAnyNonceLength && entry.nonce.length !== NONCE_LENGTH) throw new E2eidError('ERR_SDCWT_AEAD_MALFORMED', `the nonce must be ${NONCE_LENGTH} bytes`)
  const k = await importKey(key, sdAead, 'decrypt')
  let plain: Uint8Array
  try {
    plain = new Uint8Array(
      await subtle().decrypt({ name: 'AES-GCM', iv: entry.nonce as BufferSource, tagLength: 128 }, k, concatBytes(entry.ciphertext, entry.tag) as BufferSource),
    )
  } catch (e) {
    throw new E2eidError('ERR_SDCWT_AEAD_DECRYPT_FAILED', 'an encrypted disclosure does not decrypt', { cause: e })
  }
  const inner = decodeCbor(plain)
  if (!(inner instanceof Uint8Array)) throw new E2eidError('ERR_SDCWT_AEAD_MALFORMED', 'a decrypted disclosure must be a CBOR byte string')
  return inner
}

/** Options for {@link encryptDisclosure}. */
export interface EncryptDisclosureOptions {
  key: Uint8Array
  /** `sd_aead` of the SD-CWT; default AES-128-GCM (1). */
  sdAead?: number
  /** Random source for the 12-byte nonce (the provider's randomBytes). */
  randomBytes: (length: number) => Uint8Array
  keyContext?: number | string | Uint8Array
}

/** Encrypts a disclosure (given as byte-string content, like an `sd_claims` element) into an entry. */
export async function encryptDisclosure(disclosure: Uint8Array, options: EncryptDisclosureOptions): Promise<AeadEntry> {
  const k = await importKey(options.key, options.sdAead, 'encrypt')
  const nonce = options.randomBytes(NONCE_LENGTH)
  const out = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv: nonce as BufferSource, tagLength: 128 }, k, wrapBstr(disclosure) as BufferSource))
  const e: AeadEntry = { nonce, ciphertext: out.subarray(0, out.length - TAG_LENGTH), tag: out.subarray(out.length - TAG_LENGTH) }
  if (options.keyContext !== undefined) e.keyContext = options.keyContext
  return e
}

/**
 * Decrypts every entry whose key `lookup` knows; entries it does not know are skipped (an outer verifier MAY
 * forward them, §12). Returns the decrypted disclosures.
 */
export async function decryptAeadEntries(entries: readonly unknown[], lookup: AeadKeyLookup, sdAead?: unknown): Promise<Uint8Array[]> {
  keyLength(sdAead)
  const out: Uint8Array[] = []
  for (const raw of entries) {
    const e = parseAeadEntry(raw)
    const key = lookup(e)
    if (key !== undefined) out.push(await decryptAeadEntry(e, key, sdAead))
  }
  return out
}
