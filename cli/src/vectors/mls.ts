/**
 * @module vectors/mls
 * The golden MLS Credential vectors of specs/vectors/mls/ (draft-mahy-mls-sd-cwt-credential-02 §2–§3,
 * specs/mls-profile.md §2): the TLS bytes `uint16 credential_type || opaque data<V>` that ts-mls puts in a
 * LeafNode, made by `encodeMlsCredential` of @e2eid/shared from the other golden vectors:
 * `sd_cwt` (0x0005) carries specs/vectors/sd-cwt/kbt.cbor, `sd_jwt` (0x0006) carries
 * specs/vectors/sd-jwt-vc/presentation.txt (`compacted = false`, what e2eid emits, and `compacted = true`).
 * No signing happens here: the bytes follow from the inputs alone.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_MLS_CREDENTIAL_TYPES, encodeMlsCredential, encodeMlsCredentialData, hexEncode, sdCwtMlsCredential, sdJwtMlsCredential, utf8Decode, utf8Encode } from '@e2eid/shared'
import type { MlsCredential } from '@e2eid/shared'

/** Everything the vectors are made from. */
export interface MlsGoldenInputs {
  /** specs/vectors/sd-cwt/kbt.cbor */
  kbt: Uint8Array
  /** specs/vectors/sd-jwt-vc/presentation.txt without its final newline. */
  sdJwtPresentation: string
}

/** The input files, relative to specs/vectors/mls. */
export const MLS_GOLDEN_INPUT_FILES = ['../sd-cwt/kbt.cbor', '../sd-jwt-vc/presentation.txt'] as const

/** Reads the inputs (the other folders' golden outputs). */
export async function readMlsGoldenInputs(dir: string): Promise<MlsGoldenInputs> {
  return {
    kbt: new Uint8Array(await readFile(join(dir, '../sd-cwt/kbt.cbor'))),
    sdJwtPresentation: (await readFile(join(dir, '../sd-jwt-vc/presentation.txt'), 'utf8')).replace(/\n$/, ''),
  }
}

/** The RFC 9420 §2.1.2 variable-length header of `n` bytes, in hex. */
function varintHex(n: number): string {
  if (n < 0x40) return n.toString(16).padStart(2, '0')
  if (n < 0x4000) return (0x4000 | n).toString(16).padStart(4, '0')
  return (0x80000000 + n).toString(16).padStart(8, '0')
}

function describe(file: string, cred: MlsCredential, wire: Uint8Array, source: string): Record<string, unknown> {
  const type = cred.kind === 'sd-cwt' ? DEFAULT_MLS_CREDENTIAL_TYPES.sdCwt : DEFAULT_MLS_CREDENTIAL_TYPES.sdJwt
  const data = encodeMlsCredentialData(cred)
  const out: Record<string, unknown> = {
    file,
    credential_type: `0x${type.toString(16).padStart(4, '0')}`,
    credential_type_name: cred.kind === 'sd-cwt' ? 'sd_cwt' : 'sd_jwt',
    length: wire.length,
    data_length: data.length,
    header_hex: hexEncode(wire.subarray(0, wire.length - data.length)),
    source,
  }
  if (cred.kind === 'sd-cwt') {
    out.data = 'sd_kbt: the KBT bytes unchanged (d2 84 …), exactly ' + source
  } else if (!cred.compacted) {
    const text = utf8Encode(cred.sdJwtKb)
    out.sd_jwt = { compacted: 0, sd_jwt_kb_header_hex: '00' + varintHex(text.length), sd_jwt_kb_length: text.length, sd_jwt_kb: cred.sdJwtKb }
  } else {
    out.sd_jwt = {
      compacted: 1,
      protected: utf8Decode(cred.protected),
      payload_length: cred.payload.length,
      signature_hex: hexEncode(cred.signature),
      disclosures: cred.disclosures.map((d) => utf8Decode(d)),
      sd_jwt_key_binding: utf8Decode(cred.keyBinding),
    }
  }
  return out
}

/** Generates every output file (name → content). */
export function generateMlsGoldenVectors(inputs: MlsGoldenInputs): Map<string, string | Uint8Array> {
  const entries: [string, MlsCredential, string][] = [
    ['sd-cwt.credential', sdCwtMlsCredential(inputs.kbt), '../sd-cwt/kbt.cbor'],
    ['sd-jwt.credential', sdJwtMlsCredential(inputs.sdJwtPresentation), '../sd-jwt-vc/presentation.txt'],
    ['sd-jwt-compacted.credential', sdJwtMlsCredential(inputs.sdJwtPresentation, { compacted: true }), '../sd-jwt-vc/presentation.txt'],
  ]
  const files = new Map<string, string | Uint8Array>()
  const decoded: Record<string, unknown>[] = []
  for (const [name, cred, source] of entries) {
    const wire = encodeMlsCredential(cred)
    files.set(`${name}.bin`, wire)
    files.set(`${name}.hex`, hexEncode(wire) + '\n')
    decoded.push(describe(`${name}.bin`, cred, wire, source))
  }
  files.set('decoded.json', JSON.stringify(decoded, null, 2) + '\n')
  return files
}
