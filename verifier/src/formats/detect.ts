/**
 * @module formats/detect
 * Tells an SD-CWT KBT from an SD-JWT presentation. SD-JWT: compact text with `~` (RFC 9901 §4: it ends in
 * `~` or in a KB-JWT), or its JWS JSON Serialization (§8, a JSON object: turned into the compact form). SD-CWT: CBOR bytes, given raw, as hex (whitespace allowed, as the CLI files are) or as
 * base64url (how OpenID4VP carries binary presentations, OpenID4VCI §8.3).
 */
import { E2eidError, SD_JWT_VC_FORMAT, base64urlDecode, hexDecode, isSdJwtJsonSerialization, sdJwtFromJsonSerialization } from '@e2eid/shared'

/** A presentation whose format is known. */
export type DetectedPresentation = { format: typeof SD_JWT_VC_FORMAT; compact: string } | { format: 'sd-cwt'; bytes: Uint8Array }

const MAX_INPUT = 1 << 20

function fromText(text: string): DetectedPresentation {
  const t = text.trim()
  if (t.length === 0) throw new E2eidError('ERR_VERIFY_FORMAT_UNKNOWN', 'the presentation is empty')
  if (isSdJwtJsonSerialization(t)) return { format: SD_JWT_VC_FORMAT, compact: sdJwtFromJsonSerialization(t, MAX_INPUT) }
  if (t.includes('~')) {
    if (!/^[A-Za-z0-9_\-.~]+$/.test(t)) throw new E2eidError('ERR_VERIFY_FORMAT_UNKNOWN', 'SD-JWT text has characters outside base64url')
    return { format: SD_JWT_VC_FORMAT, compact: t }
  }
  const compactHex = t.replace(/\s+/g, '')
  if (/^([0-9a-fA-F]{2})+$/.test(compactHex)) return { format: 'sd-cwt', bytes: hexDecode(compactHex.toLowerCase()) }
  if (/^[A-Za-z0-9_-]+$/.test(t)) {
    try {
      return { format: 'sd-cwt', bytes: base64urlDecode(t) }
    } catch (e) {
      throw new E2eidError('ERR_VERIFY_FORMAT_UNKNOWN', 'the presentation is neither an SD-JWT nor SD-CWT bytes', { cause: e })
    }
  }
  throw new E2eidError('ERR_VERIFY_FORMAT_UNKNOWN', 'the presentation is neither an SD-JWT nor an SD-CWT (hex, base64url or CBOR)')
}

/** Detects the format of a presentation given as text or bytes. Throws ERR_VERIFY_FORMAT_UNKNOWN or ERR_VERIFY_TOO_LARGE. */
export function detectPresentation(input: string | Uint8Array): DetectedPresentation {
  if (typeof input === 'string') {
    if (input.length > 2 * MAX_INPUT) throw new E2eidError('ERR_VERIFY_TOO_LARGE', 'the presentation is too large')
    return fromText(input)
  }
  if (!(input instanceof Uint8Array)) throw new E2eidError('ERR_VERIFY_FORMAT_UNKNOWN', 'a presentation is a string or bytes')
  if (input.length > 2 * MAX_INPUT) throw new E2eidError('ERR_VERIFY_TOO_LARGE', 'the presentation is too large')
  if (input.length === 0) throw new E2eidError('ERR_VERIFY_FORMAT_UNKNOWN', 'the presentation is empty')
  // COSE_Sign1_Tagged starts with tag 18 (0xd2); an untagged COSE_Sign1 with a 4-element array (0x84).
  const b0 = input[0]
  if (b0 === 0xd2 || b0 === 0x84) return { format: 'sd-cwt', bytes: input }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input)
  } catch {
    return { format: 'sd-cwt', bytes: input }
  }
  return fromText(text)
}
