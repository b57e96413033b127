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
import { CborTag, decodeCbor, decodeJwtUnverified, E2eidError } from '@e2eid/shared'
import type { VerifierContext } from '../verify-presentation.js'
import { verifyPresentation } from '../verify-presentation.js'
import type { VerifierPolicy } from '../policy/policy.js'
import type { MlsPresentationVerifier, VerifiedMlsPresentation } from './types.js'

/** The `aud` a KBT (claim 3) or KB-JWT carries, read before any signature check; undefined if none. */
export function presentedAudience(kind: 'sd-cwt' | 'sd-jwt', presentation: Uint8Array | string): string | undefined {
  try {
    if (kind === 'sd-cwt') {
      // Only the outer COSE_Sign1 array and the KBT payload are decoded: the protected header (which holds the
      // whole SD-CWT) stays a byte string here and is decoded once, by verifyPresentation.
      const outer = decodeCbor(presentation as Uint8Array)
      const parts = outer instanceof CborTag && outer.tag === 18 ? outer.value : undefined
      if (!Array.isArray(parts) || parts.length !== 4) throw new E2eidError('ERR_COSE_MALFORMED', 'a KBT is a tagged COSE_Sign1 (tag 18, 4 items)')
      const payload: unknown = parts[2]
      if (payload === null) return undefined
      if (!(payload instanceof Uint8Array)) throw new E2eidError('ERR_COSE_MALFORMED', 'the KBT payload is not a byte string')
      const claims = decodeCbor(payload)
      const aud = claims instanceof Map ? claims.get(3) : undefined
      return typeof aud === 'string' ? aud : undefined
    }
    const text = presentation as string
    const aud = decodeJwtUnverified(text.slice(text.lastIndexOf('~') + 1)).payload.aud
    return typeof aud === 'string' ? aud : undefined
  } catch (e) {
    throw new E2eidError('ERR_MLS_PRESENTATION_INVALID', 'the key-binding token does not decode', { cause: e })
  }
}

/**
 * An {@link MlsPresentationVerifier} backed by `verifyPresentation(presentation, { ...policy, aud }, context)`.
 * `policy.aud` is ignored (it comes from the MLS scope). MLS leaves live long: set
 * `policy.keyBindingMaxAgeSeconds` to at least the KeyPackage lifetime.
 */
export function mlsPresentationVerifier(policy: Omit<VerifierPolicy, 'aud'>, context: VerifierContext): MlsPresentationVerifier {
  return async (kind, presentation, mls): Promise<VerifiedMlsPresentation> => {
    if (kind === 'sd-cwt' ? !(presentation instanceof Uint8Array) : typeof presentation !== 'string') {
      throw new E2eidError('ERR_MLS_PRESENTATION_INVALID', `a ${kind} presentation of the wrong shape`)
    }
    const aud = presentedAudience(kind, presentation)
    if (aud === undefined) throw new E2eidError('ERR_MLS_AUDIENCE_MISSING', 'the presentation has no aud')
    // Refuse early (before any status list fetch) when the aud cannot fit here.
    if (mls.audiences !== undefined && !mls.audiences.includes(aud)) {
      throw new E2eidError('ERR_MLS_AUDIENCE_MISMATCH', `aud ${JSON.stringify(aud)} is not acceptable here`)
    }
    const v = await verifyPresentation(presentation, { ...policy, aud }, context)
    if (v.format !== (kind === 'sd-cwt' ? 'sd-cwt' : 'dc+sd-jwt')) {
      throw new E2eidError('ERR_MLS_PRESENTATION_INVALID', `an ${kind} credential carries a ${v.format} presentation`)
    }
    const sub = v.claims.sub ?? v.claims['2']
    return {
      ...(v.holderKey === undefined ? {} : { holderKey: v.holderKey }),
      ...(typeof sub === 'string' ? { sub } : {}),
      claims: v.claims,
      issuer: v.issuer ?? '',
      ...(v.statusRef === undefined ? {} : { status: v.statusRef }),
      audience: aud,
    }
  }
}
