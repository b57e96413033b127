/**
 * @module sd-jwt/present
 * Holder side of RFC 9901 §4 / §7.2: choose the disclosures for the requested claim paths
 * (with every parent disclosure needed to connect them to the payload, §4.2.6; a requested
 * claim is disclosed with everything inside it), serialize `<JWT>~<Di>~...~` and append a KB-JWT.
 */
import type { HashAlgorithm, SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PrivateJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import type { ClaimPath } from './claim-path.js'
import { formatClaimPath, parseSdJwtClaimPath, segmentKey } from './claim-path.js'
import { decodeJwt, splitSdJwt } from './compact.js'
import type { Disclosure } from './disclosure.js'
import { decodeDisclosure } from './disclosure.js'
import { sdJwtError } from './errors.js'
import { hashForSdAlg } from './hash.js'
import type { JsonStyle } from './json.js'
import { isJsonObject } from './json.js'
import { createKbJwt } from './kb-jwt.js'
import { indexDisclosures, processSdJwtPayload } from './process.js'

/** An issued SD-JWT opened by its Holder (no signature check: see checkSdJwtVcReceipt). */
export interface OpenedSdJwt {
  readonly jwt: string
  readonly payload: Record<string, unknown>
  readonly hash: HashAlgorithm
  readonly disclosures: readonly Disclosure[]
}

/** Parses an issued SD-JWT (without KB-JWT) for presentation. */
export function openSdJwt(provider: CryptoProvider, sdJwt: string): OpenedSdJwt {
  const parts = splitSdJwt(sdJwt)
  if (parts.kbJwt !== undefined) throw sdJwtError('ERR_SDJWT_KB_UNEXPECTED', 'an issued SD-JWT must not carry a KB-JWT (§7.2)')
  const { payload } = decodeJwt(parts.jwt, 'ERR_SDJWT_MALFORMED', 'issuer-signed JWT')
  const hash = hashForSdAlg(payload._sd_alg)
  return { jwt: parts.jwt, payload, hash, disclosures: parts.disclosures.map((d) => decodeDisclosure(provider, hash, d)) }
}

/**
 * The disclosures needed to reveal `paths` (each claim with its containers and its whole content),
 * in the order they were issued. Array positions count the elements of the issued array, decoys excluded.
 */
export function selectDisclosures(opened: OpenedSdJwt, paths: readonly (string | ClaimPath)[]): Disclosure[] {
  const byDigest = indexDisclosures(opened.disclosures)
  const selected = new Set<string>()

  function everythingIn(node: unknown, depth: number): void {
    if (typeof node !== 'object' || node === null || depth > 64) return
    if (Array.isArray(node)) {
      for (const el of node) {
        const d = isJsonObject(el) && typeof el['...'] === 'string' ? byDigest.get(el['...']) : undefined
        if (d !== undefined) {
          selected.add(d.digest)
          everythingIn(d.value, depth + 1)
        } else everythingIn(el, depth + 1)
      }
      return
    }
    const obj = node as Record<string, unknown>
    if (Array.isArray(obj._sd)) {
      for (const digest of obj._sd) {
        const d = typeof digest === 'string' ? byDigest.get(digest) : undefined
        if (d === undefined) continue
        selected.add(d.digest)
        everythingIn(d.value, depth + 1)
      }
    }
    for (const [k, v] of Object.entries(obj)) if (k !== '_sd') everythingIn(v, depth + 1)
  }

  for (const raw of paths) {
    const path = parseSdJwtClaimPath(raw)
    let node: unknown = opened.payload
    for (const seg of path) {
      const notFound = (): never => {
        throw sdJwtError('ERR_SDJWT_PATH_NOT_FOUND', `claim ${formatClaimPath(path)} is not in the credential`)
      }
      if (Array.isArray(node)) {
        if (typeof seg !== 'number') notFound()
        let idx = -1
        let next: unknown
        let found = false
        for (const el of node) {
          const isDigest = isJsonObject(el) && Object.hasOwn(el, '...')
          const d = isDigest && typeof el['...'] === 'string' ? byDigest.get(el['...']) : undefined
          if (isDigest && d === undefined) continue // a decoy or an element we hold no disclosure for
          if (++idx !== seg) continue
          if (d !== undefined) selected.add(d.digest)
          next = d !== undefined ? d.value : el
          found = true
          break
        }
        if (!found) notFound()
        node = next
      } else if (isJsonObject(node)) {
        const key = segmentKey(seg)
        if (key !== '_sd' && Object.hasOwn(node, key)) {
          node = node[key]
          continue
        }
        const sd = Array.isArray(node._sd) ? node._sd : []
        let d: Disclosure | undefined
        for (const digest of sd) {
          const c = typeof digest === 'string' ? byDigest.get(digest) : undefined
          if (c !== undefined && c.name === key) {
            d = c
            break
          }
        }
        if (d === undefined) return notFound()
        selected.add(d.digest)
        node = d.value
      } else {
        notFound()
      }
    }
    everythingIn(node, 0)
  }
  return opened.disclosures.filter((d) => selected.has(d.digest))
}

/**
 * The processed claims a presentation of `paths` would reveal, for showing the user before
 * signing (issue #5: "shows exactly which claims will be disclosed").
 */
export function previewSdJwtPresentation(provider: CryptoProvider, sdJwt: string, paths: readonly (string | ClaimPath)[]): Record<string, unknown> {
  const opened = openSdJwt(provider, sdJwt)
  return processSdJwtPayload(opened.payload, selectDisclosures(opened, paths)).claims
}

/** Inputs of {@link presentSdJwt}. */
export interface PresentSdJwtOptions {
  readonly provider: CryptoProvider
  /** The issued SD-JWT (`<JWT>~<D1>~...~`). */
  readonly sdJwt: string
  /** Claim paths to disclose. */
  readonly disclose: readonly (string | ClaimPath)[]
  /** Holder key for the KB-JWT; omit only for a presentation without key binding. */
  readonly holderKey?: PrivateJwk
  readonly alg?: SignatureAlgorithm
  readonly aud?: string
  readonly nonce?: string
  /** KB-JWT `iat`, seconds since the epoch (default: the system clock). */
  readonly iat?: number
  readonly jsonStyle?: JsonStyle
}

/** Builds `<JWT>~<Di>~...~<KB-JWT>` (or `<JWT>~<Di>~...~` without a holder key). */
export async function presentSdJwt(o: PresentSdJwtOptions): Promise<string> {
  const opened = openSdJwt(o.provider, o.sdJwt)
  const chosen = selectDisclosures(opened, o.disclose)
  const sdJwt = opened.jwt + '~' + chosen.map((d) => d.encoded + '~').join('')
  if (o.holderKey === undefined) return sdJwt
  if (typeof o.aud !== 'string' || typeof o.nonce !== 'string') throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'a KB-JWT needs aud and nonce strings (§4.3)')
  const kb = await createKbJwt({
    provider: o.provider,
    holderKey: o.holderKey,
    ...(o.alg ? { alg: o.alg } : {}),
    sdJwt,
    hash: opened.hash,
    aud: o.aud,
    nonce: o.nonce,
    iat: o.iat ?? Math.floor(Date.now() / 1000),
    ...(o.jsonStyle ? { jsonStyle: o.jsonStyle } : {}),
  })
  return sdJwt + kb
}
