/**
 * @module mls/presentation-verifier
 * Adapts the verifier's `verifyPresentation` (trust store, policy, status) to the
 * {@link MlsPresentationVerifier} callback of the MLS AuthenticationService.
 *
 * MLS has no verifier challenge, and the acceptable `aud` depends on where the credential sits
 * (specs/mls-profile.md §4). So the adapter first reads the presented `aud` without trusting it and
 * checks it against the acceptable set. It then passes that value as the expected `aud` to
 * `verifyPresentation`, which checks it under the KBT / KB-JWT signature.
 */
import { CborTag, decodeCbor, decodeJwtUnverified, E2eidError, SD_JWT_VC_FORMAT } from '@e2eid/shared'
import { detectPresentation } from '../formats/detect.js'
import { SD_CWT_LIMITS } from '../formats/sd-cwt.js'
import type { JsonObject } from '../claims/json.js'
import type { VerifierContext } from '../verify-presentation.js'
import { verifyDetectedPresentation } from '../verify-presentation.js'
import type { VerifierPolicy } from '../policy/policy.js'
import type { MlsPresentationVerifier, VerifiedMlsPresentation } from './types.js'

function invalid(e: unknown): E2eidError {
  return new E2eidError('ERR_MLS_PRESENTATION_INVALID', 'the key-binding token does not decode', { cause: e })
}

// The aud (claim 3) of a KBT decoded as a whole CBOR item. Only the KBT payload is decoded here: the protected
// header (which holds the whole SD-CWT) stays a byte string, decoded once by the format verifier.
function kbtAudience(outer: unknown): string | undefined {
  const parts = outer instanceof CborTag && outer.tag === 18 ? outer.value : undefined
  if (!Array.isArray(parts) || parts.length !== 4) throw new E2eidError('ERR_COSE_MALFORMED', 'a KBT is a tagged COSE_Sign1 (tag 18, 4 items)')
  const payload: unknown = parts[2]
  if (payload === null) return undefined
  if (!(payload instanceof Uint8Array)) throw new E2eidError('ERR_COSE_MALFORMED', 'the KBT payload is not a byte string')
  const claims = decodeCbor(payload)
  const aud = claims instanceof Map ? claims.get(3) : undefined
  return typeof aud === 'string' ? aud : undefined
}

/** The `aud` a KBT (claim 3) or KB-JWT carries, read before any signature check; undefined if none. */
export function presentedAudience(kind: 'sd-cwt' | 'sd-jwt', presentation: Uint8Array | string): string | undefined {
  try {
    if (kind === 'sd-cwt') return kbtAudience(decodeCbor(presentation as Uint8Array, SD_CWT_LIMITS))
    const text = presentation as string
    const aud = decodeJwtUnverified(text.slice(text.lastIndexOf('~') + 1)).payload.aud
    return typeof aud === 'string' ? aud : undefined
  } catch (e) {
    throw invalid(e)
  }
}

/**
 * An {@link MlsPresentationVerifier} backed by `verifyPresentation(presentation, { ...policy, aud }, context)`.
 * `policy.aud` is ignored (it comes from the MLS scope). MLS leaves live long: set
 * `policy.keyBindingMaxAgeSeconds` to at least the KeyPackage lifetime.
 *
 * `policy.status` defaults to `'required'` here (not `'if-present'`): identity authorities publish status lists, and
 * a credential without a status reference (one whose holder hid it, or never got one) is refused
 * (ERR_POLICY_STATUS_MISSING) and an unreachable list fails closed. Set `status: 'if-present'` explicitly
 * to accept credentials of authorities that publish no status lists.
 */
export function mlsPresentationVerifier(policy: Omit<VerifierPolicy, 'aud'>, context: VerifierContext): MlsPresentationVerifier {
  policy = { ...policy, status: policy.status ?? 'required' }
  return async (kind, presentation, mls): Promise<VerifiedMlsPresentation> => {
    if (kind === 'sd-cwt' ? !(presentation instanceof Uint8Array) : typeof presentation !== 'string') {
      throw new E2eidError('ERR_MLS_PRESENTATION_INVALID', `a ${kind} presentation of the wrong shape`)
    }
    // An SD-CWT KBT is decoded once: here, to read its aud, and the same value goes to the format verifier.
    let decoded: unknown
    let aud: string | undefined
    if (kind === 'sd-cwt') {
      try {
        decoded = decodeCbor(presentation as Uint8Array, SD_CWT_LIMITS)
        aud = kbtAudience(decoded)
      } catch (e) {
        throw invalid(e)
      }
    } else {
      aud = presentedAudience(kind, presentation)
    }
    if (aud === undefined) throw new E2eidError('ERR_MLS_AUDIENCE_MISSING', 'the presentation has no aud')
    // Refuse early (before any status list fetch) when the aud cannot fit here.
    if (mls.audiences !== undefined && !mls.audiences.includes(aud)) {
      throw new E2eidError('ERR_MLS_AUDIENCE_MISMATCH', `aud ${JSON.stringify(aud)} is not acceptable here`)
    }
    const detected = detectPresentation(presentation)
    // `decoded` is the CBOR of exactly these bytes only when detection kept them as they are.
    const sameBytes = detected.format === 'sd-cwt' && detected.bytes === presentation
    const { presentation: v, claims, subject: sub } = await verifyDetectedPresentation(detected, { ...policy, aud }, context, sameBytes ? decoded : undefined)
    if (v.format !== (kind === 'sd-cwt' ? 'sd-cwt' : SD_JWT_VC_FORMAT)) {
      throw new E2eidError('ERR_MLS_PRESENTATION_INVALID', `an ${kind} credential carries a ${v.format} presentation`)
    }
    let view: JsonObject | undefined
    const out: { -readonly [K in keyof VerifiedMlsPresentation]: VerifiedMlsPresentation[K] } = {
      issuer: v.issuer ?? '',
      audience: aud,
      // The claims' JSON view is built when the application reads it, not for every leaf of a join.
      get claims() {
        return (view ??= claims())
      },
    }
    // Optional members set only when present (no spread of temporary objects per leaf).
    if (v.holderKey !== undefined) out.holderKey = v.holderKey
    if (typeof sub === 'string') out.sub = sub
    if (v.statusRef !== undefined) out.status = v.statusRef
    return out
  }
}
