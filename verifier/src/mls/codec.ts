/**
 * @module mls/codec
 * Strict decoding of MLS messages received from the (untrusted) delivery service: ts-mls's
 * decoders ignore trailing bytes and report failure as `undefined`; these refuse both with E2eidError.
 */
import { E2eidError } from '@e2eid/shared'
import { encode, mlsMessageDecoder, mlsMessageEncoder, wireformats } from 'ts-mls'
import type { KeyPackage, MlsFramedMessage, MlsMessage, MlsWelcomeMessage } from 'ts-mls'

/** Largest MLS message accepted (bytes). */
export const MAX_MLS_MESSAGE_BYTES = 4 * 1024 * 1024

/** Encodes any MLSMessage (RFC 9420 §6). */
export function encodeMlsMessage(message: MlsMessage): Uint8Array {
  return encode(mlsMessageEncoder, message)
}

/** Decodes one MLSMessage; throws ERR_MLS_MESSAGE_MALFORMED (also on trailing bytes) or ERR_MLS_MESSAGE_TOO_LARGE. */
export function decodeMlsMessage(bytes: Uint8Array, maxBytes = MAX_MLS_MESSAGE_BYTES): MlsMessage {
  if (bytes.length > maxBytes) throw new E2eidError('ERR_MLS_MESSAGE_TOO_LARGE', `MLS message has ${bytes.length} bytes, limit ${maxBytes}`)
  let r: [MlsMessage, number] | undefined
  try {
    r = mlsMessageDecoder(bytes, 0)
  } catch (e) {
    throw new E2eidError('ERR_MLS_MESSAGE_MALFORMED', 'MLS message does not decode', { cause: e })
  }
  if (r === undefined) throw new E2eidError('ERR_MLS_MESSAGE_MALFORMED', 'MLS message does not decode')
  if (r[1] !== bytes.length) throw new E2eidError('ERR_MLS_MESSAGE_MALFORMED', `${bytes.length - r[1]} bytes after the MLS message`)
  return r[0]
}

/** Decodes an MLSMessage carrying a KeyPackage (wire_format mls_key_package). */
export function decodeMlsKeyPackage(bytes: Uint8Array): KeyPackage {
  const m = decodeMlsMessage(bytes)
  if (m.wireformat !== wireformats.mls_key_package) throw new E2eidError('ERR_MLS_MESSAGE_WRONG_TYPE', 'not a KeyPackage')
  return m.keyPackage
}

/** Decodes an MLSMessage carrying a Welcome. */
export function decodeMlsWelcome(bytes: Uint8Array): MlsWelcomeMessage {
  const m = decodeMlsMessage(bytes)
  if (m.wireformat !== wireformats.mls_welcome) throw new E2eidError('ERR_MLS_MESSAGE_WRONG_TYPE', 'not a Welcome')
  return m
}

/** Decodes an MLSMessage carrying a PublicMessage or PrivateMessage (commit, proposal, application). */
export function decodeMlsFramedMessage(bytes: Uint8Array): MlsFramedMessage {
  const m = decodeMlsMessage(bytes)
  if (m.wireformat !== wireformats.mls_private_message && m.wireformat !== wireformats.mls_public_message) {
    throw new E2eidError('ERR_MLS_MESSAGE_WRONG_TYPE', 'not a PublicMessage or PrivateMessage')
  }
  return m
}
