/**
 * @module commands/sd-cwt/files
 * Input files of `e2eid sd-cwt`: tokens as hex text (whitespace allowed) or raw CBOR, keys as a JWK (JSON) or a
 * COSE_Key (hex text or raw CBOR). Pure functions over bytes; the command reads the files.
 */
import { E2eidError, coseKeyToJwk, coseKeyToPrivateJwk, decodeCbor, hexDecode, parsePrivateJwk, parsePublicJwk, publicJwkOf } from '@e2eid/shared'
import type { PrivateJwk, PublicJwk } from '@e2eid/shared'

/** Upper bound for a token file (the CBOR decoder applies its own limit as well). */
const MAX_TOKEN_FILE_BYTES = 1024 * 1024
/** Upper bound for a key file. */
const MAX_KEY_FILE_BYTES = 16 * 1024

const HEX_TEXT = /^[0-9a-fA-F\s]+$/

function asText(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

/**
 * A token file: hex text (any ASCII whitespace ignored, e.g. wrapped lines or a trailing newline) when the file
 * is only hex digits and whitespace, otherwise the raw CBOR bytes. Errors: ERR_CLI_INPUT_EMPTY,
 * ERR_CLI_INPUT_TOO_LARGE, ERR_HEX_INVALID (odd number of hex digits).
 */
export function parseTokenFile(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_TOKEN_FILE_BYTES) throw new E2eidError('ERR_CLI_INPUT_TOO_LARGE', `the token file is larger than ${MAX_TOKEN_FILE_BYTES} bytes`)
  const text = asText(bytes)
  if (text !== undefined && text.trim().length === 0) throw new E2eidError('ERR_CLI_INPUT_EMPTY', 'the token file is empty')
  // A CBOR tag-18 COSE_Sign1 starts with 0xd2, never an ASCII hex digit, so the two forms cannot be confused.
  if (text !== undefined && HEX_TEXT.test(text)) return hexDecode(text)
  return bytes
}

function jsonOf(bytes: Uint8Array): unknown {
  const text = asText(bytes)?.trim()
  if (text === undefined || !text.startsWith('{')) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    throw new E2eidError('ERR_KEY_INVALID', 'the key file starts with "{" but is not valid JSON', { cause: e })
  }
}

/**
 * The JWK inside a key file: the object itself when it has `kty`; else its `jwk` member (the layout of the
 * draft's key files, ../shared/specs/sd-cwt/keys/*.json); else the only key of a JWK Set.
 */
function jwkIn(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || 'kty' in json) return json
  const o = json as { jwk?: unknown; keys?: unknown }
  if (typeof o.jwk === 'object' && o.jwk !== null) return o.jwk
  if (Array.isArray(o.keys) && o.keys.length === 1) return o.keys[0]
  return json
}

function coseKeyOf(bytes: Uint8Array): unknown {
  if (bytes.length > MAX_KEY_FILE_BYTES) throw new E2eidError('ERR_CLI_INPUT_TOO_LARGE', `the key file is larger than ${MAX_KEY_FILE_BYTES} bytes`)
  const text = asText(bytes)
  const cbor = text !== undefined && HEX_TEXT.test(text) ? hexDecode(text) : bytes
  return decodeCbor(cbor, { maxBytes: MAX_KEY_FILE_BYTES })
}

/**
 * A public key file: a JWK (private members are dropped) or a COSE_Key. Errors: ERR_KEY_INVALID,
 * ERR_KEY_UNSUPPORTED, ERR_COSE_KEY_INVALID, ERR_CBOR_*.
 */
export function parsePublicKeyFile(bytes: Uint8Array): PublicJwk {
  const json = jsonOf(bytes)
  if (json !== undefined) return publicJwkOf(parsePublicJwk(jwkIn(json)))
  return coseKeyToJwk(coseKeyOf(bytes))
}

/** A private key file: a JWK with `d`, or a COSE_Key with `d` (-4). Errors as {@link parsePublicKeyFile}. */
export function parsePrivateKeyFile(bytes: Uint8Array): PrivateJwk {
  const json = jsonOf(bytes)
  if (json !== undefined) return parsePrivateJwk(jwkIn(json))
  return coseKeyToPrivateJwk(coseKeyOf(bytes))
}
