/**
 * @module sd-jwt/issue
 * Issuance of an SD-JWT (RFC 9901 §4, §5): each selectively disclosable claim becomes a
 * disclosure whose digest goes into the `_sd` array of its object (sorted, §4.2.4.1) or
 * replaces its array element by `{"...": digest}` (§4.2.4.2); decoys (§4.2.5) are digests of
 * fresh salts. Nested paths give structured disclosure, a path and its prefix give recursive
 * disclosure (§6). Salts are taken depth first, children before their parent, so an injected
 * salt sequence reproduces the RFC examples.
 */
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import { algorithmForCurve } from '../crypto/algorithms.js'
import type { PrivateJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { base64urlEncode } from '../encoding/base64url.js'
import type { ClaimPath } from './claim-path.js'
import { formatClaimPath, parseSdJwtClaimPath, segmentKey } from './claim-path.js'
import type { Disclosure } from './disclosure.js'
import { createDisclosure } from './disclosure.js'
import { sdJwtError } from './errors.js'
import type { SdAlg } from './hash.js'
import { digestText, hashForSdAlg } from './hash.js'
import type { JsonStyle } from './json.js'
import { encodeJson, isJsonObject } from './json.js'
import { signJws } from '../jose/jws.js'
import { setOwn } from './process.js'

/** Produces a fresh salt string; ≥ 128 bits from a CSPRNG in production (§4.2.1, §9.3). */
export type SaltGenerator = () => string

/** Inputs of {@link issueSdJwt}. */
export interface IssueSdJwtOptions {
  readonly provider: CryptoProvider
  readonly issuerKey: PrivateJwk
  /** Signature algorithm (default: the one the key's curve implies). */
  readonly alg?: SignatureAlgorithm
  /** Header parameters after `alg` (e.g. `typ`, `kid`). */
  readonly header?: Readonly<Record<string, unknown>>
  /** The full payload in the order it should be serialized. */
  readonly claims: Readonly<Record<string, unknown>>
  /**
   * Plain claims serialized after `_sd_alg`, never selectively disclosable (sd-jwt-python, which
   * generated the RFC examples, adds `cnf` there).
   */
  readonly trailingClaims?: Readonly<Record<string, unknown>>
  /** Paths of the claims to make selectively disclosable (`address`, `address.country`, `nationalities.1`). */
  readonly disclosable?: readonly (string | ClaimPath)[]
  /** Decoy digests: a number for the top-level `_sd`, or counts by container path (`""` = top level). */
  readonly decoys?: number | Readonly<Record<string, number>>
  readonly sdAlg?: SdAlg
  /** Default: base64url of 16 random bytes from the provider. */
  readonly saltGenerator?: SaltGenerator
  /** `python` reproduces the RFC examples byte for byte; default `compact`. */
  readonly jsonStyle?: JsonStyle
}

/** An issued SD-JWT. */
export interface IssuedSdJwt {
  /** `<JWT>~<D1>~...~<Dn>~` (§4), no KB-JWT. */
  readonly compact: string
  readonly header: Record<string, unknown>
  readonly payload: Record<string, unknown>
  /** The disclosures in the order they were created and serialized. */
  readonly disclosures: readonly Disclosure[]
}

interface FrameNode {
  sd: boolean
  decoys: number
  children: Map<string, FrameNode>
}

const RESERVED_INPUT = new Set(['_sd', '...', '_sd_alg'])

function newNode(): FrameNode {
  return { sd: false, decoys: 0, children: new Map() }
}

function nodeAt(root: FrameNode, claims: unknown, path: ClaimPath, what: string): FrameNode {
  let node = root
  let value: unknown = claims
  for (const seg of path) {
    const key = segmentKey(seg)
    if (Array.isArray(value)) {
      if (typeof seg !== 'number' || seg >= value.length) throw sdJwtError('ERR_SDJWT_PATH_NOT_FOUND', `${what} ${formatClaimPath(path)} is not in the claims`)
      value = value[seg]
    } else if (isJsonObject(value) && Object.hasOwn(value, key)) {
      value = value[key]
    } else {
      throw sdJwtError('ERR_SDJWT_PATH_NOT_FOUND', `${what} ${formatClaimPath(path)} is not in the claims`)
    }
    let child = node.children.get(key)
    if (child === undefined) node.children.set(key, (child = newNode()))
    node = child
  }
  return node
}

function buildFrame(o: IssueSdJwtOptions): FrameNode {
  const root = newNode()
  for (const p of o.disclosable ?? []) nodeAt(root, o.claims, parseSdJwtClaimPath(p), 'disclosable claim').sd = true
  const decoys = typeof o.decoys === 'number' ? { '': o.decoys } : (o.decoys ?? {})
  for (const [p, n] of Object.entries(decoys)) {
    if (!Number.isSafeInteger(n) || n < 0 || n > 1000) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', `decoy count for ${JSON.stringify(p)} must be 0..1000`)
    const node = p === '' ? root : nodeAt(root, o.claims, parseSdJwtClaimPath(p), 'decoy container')
    node.decoys = n
  }
  return root
}

function countSalts(node: FrameNode): number {
  let n = (node.sd ? 1 : 0) + node.decoys
  for (const c of node.children.values()) n += countSalts(c)
  return n
}

/** 128-bit salts (§9.3) from one provider call per issuance instead of one per disclosure. */
function saltPool(provider: CryptoProvider, count: number): SaltGenerator {
  let pool = provider.randomBytes(16 * Math.max(count, 1))
  let at = 0
  return () => {
    if (at + 16 > pool.length) {
      pool = provider.randomBytes(16 * 8)
      at = 0
    }
    at += 16
    return base64urlEncode(pool.subarray(at - 16, at))
  }
}

/** Issues an SD-JWT. Claims named `_sd`, `...` or `_sd_alg` are refused (ERR_SDJWT_INPUT_INVALID). */
export async function issueSdJwt(o: IssueSdJwtOptions): Promise<IssuedSdJwt> {
  const sdAlg = o.sdAlg ?? 'sha-256'
  const hash = hashForSdAlg(sdAlg)
  const style = o.jsonStyle ?? 'compact'
  const disclosures: Disclosure[] = []
  const frame = buildFrame(o)
  const salt: SaltGenerator = o.saltGenerator ?? saltPool(o.provider, countSalts(frame))
  const decoy = (): string => digestText(o.provider, hash, salt())

  function pack(value: unknown, node: FrameNode | undefined, depth: number): unknown {
    if (typeof value !== 'object' || value === null) {
      if (typeof value === 'number' && !Number.isFinite(value)) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'claims must be JSON (finite numbers)')
      if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint' || value === undefined) {
        throw sdJwtError('ERR_SDJWT_INPUT_INVALID', `claims must be JSON, not ${typeof value}`)
      }
      return value
    }
    if (depth > 32) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'claims nest too deeply')
    if (Array.isArray(value)) {
      const out: unknown[] = value.map((el, i) => {
        const child = node?.children.get(String(i))
        const packed = pack(el, child, depth + 1)
        if (child?.sd !== true) return packed
        const d = createDisclosure(o.provider, hash, salt(), undefined, packed, style)
        disclosures.push(d)
        return { '...': d.digest }
      })
      for (let i = 0; i < (node?.decoys ?? 0); i++) out.push({ '...': decoy() })
      return out
    }
    const plain: [string, unknown][] = []
    const sd: string[] = []
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (RESERVED_INPUT.has(k)) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', `claim name ${JSON.stringify(k)} is reserved (§4.1)`)
      const child = node?.children.get(k)
      const packed = pack(v, child, depth + 1)
      if (child?.sd === true) {
        const d = createDisclosure(o.provider, hash, salt(), k, packed, style)
        disclosures.push(d)
        sd.push(d.digest)
      } else {
        plain.push([k, packed])
      }
    }
    for (let i = 0; i < (node?.decoys ?? 0); i++) sd.push(decoy())
    const out: Record<string, unknown> = {}
    // Sorted digests reveal nothing about the original claim order (§4.2.4.1); an empty _sd is omitted.
    if (sd.length > 0) out._sd = sd.sort()
    for (const [k, v] of plain) setOwn(out, k, v)
    return out
  }

  if (!isJsonObject(o.claims)) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'claims must be a JSON object')
  const payload = pack(o.claims, frame, 0) as Record<string, unknown>
  payload._sd_alg = sdAlg
  for (const [k, v] of Object.entries(o.trailingClaims ?? {})) {
    if (Object.hasOwn(payload, k) || RESERVED_INPUT.has(k)) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', `trailing claim ${JSON.stringify(k)} is reserved or already present`)
    setOwn(payload, k, pack(v, undefined, 1))
  }
  const alg = o.alg ?? algorithmForCurve(o.issuerKey.crv).alg
  const header: Record<string, unknown> = { alg, ...o.header }
  header.alg = alg
  const jwt = await signJws(o.provider, alg, o.issuerKey, header, payload, (v) => encodeJson(v, style))
  const compact = jwt + '~' + disclosures.map((d) => d.encoded + '~').join('')
  return { compact, header, payload, disclosures }
}
