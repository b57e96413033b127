/**
 * @module commands/sd-cwt/golden
 * The golden vectors of specs/vectors/sd-cwt/: made by the CLI's own operations (`ops.ts`) from committed inputs
 * (claims.json, test-only Ed25519 keys, fixed salts, params.json). Ed25519 signatures are deterministic (RFC 8032),
 * so every output file is reproducible byte for byte. `specs/vectors/sd-cwt/generate.mjs` writes them;
 * `golden.test.ts` regenerates them and compares.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { E2eidError, hexDecode, hexEncode, parsePrivateJwk, parseSdCwt, publicJwkOf } from '@e2eid/shared'
import type { CryptoProvider, PrivateJwk } from '@e2eid/shared'
import { renderInspection } from './view.js'
import { generateNegativeVectors } from './negative.js'
import { inspectToken, issueFromClaimsFile, presentSdCwt, splitPaths, verifyKbt } from './ops.js'

/** params.json: the parameters of each step (clock, aud, cnonce, what is disclosed). */
export interface GoldenParams {
  issue: { now: number; decoys: number }
  present: { now: number; aud: string; nonce: string; disclose: string[] }
  verify: { now: number; aud: string; nonce: string }
}

/** Everything the vectors are made from. */
export interface GoldenInputs {
  claimsText: string
  issuerKey: PrivateJwk
  holderKey: PrivateJwk
  /** 16-byte salts, used in the order the issuer asks for them. */
  salts: Uint8Array[]
  params: GoldenParams
}

/** Reads the inputs from a vector directory (specs/vectors/sd-cwt). */
export async function readGoldenInputs(dir: string): Promise<GoldenInputs> {
  const text = (name: string) => readFile(join(dir, name), 'utf8')
  const salts = (JSON.parse(await text('salts.json')) as { salts: string[] }).salts.map((s) => hexDecode(s))
  return {
    claimsText: await text('claims.json'),
    issuerKey: parsePrivateJwk(JSON.parse(await text('keys/issuer.private.jwk.json'))),
    holderKey: parsePrivateJwk(JSON.parse(await text('keys/holder.private.jwk.json'))),
    salts,
    params: JSON.parse(await text('params.json')) as GoldenParams,
  }
}

/** Generates every output file (name → content) from the inputs. */
export async function generateGoldenVectors(inputs: GoldenInputs, provider: CryptoProvider): Promise<Map<string, string | Uint8Array>> {
  const { params } = inputs
  let next = 0
  const sdCwt = await issueFromClaimsFile({
    claimsText: inputs.claimsText,
    issuerKey: inputs.issuerKey,
    holderKey: publicJwkOf(inputs.holderKey),
    decoys: params.issue.decoys,
    now: params.issue.now,
    provider,
    salt: () => {
      const s = inputs.salts[next++]
      if (s === undefined) throw new E2eidError('ERR_CLI_GOLDEN_SALTS', 'salts.json has too few salts')
      return s
    },
  })
  if (next !== inputs.salts.length) throw new E2eidError('ERR_CLI_GOLDEN_SALTS', `salts.json has ${inputs.salts.length} salts, the issuer used ${next}`)
  const kbt = await presentSdCwt({
    sdCwt,
    holderKey: inputs.holderKey,
    disclose: params.present.disclose.flatMap((p) => splitPaths(p)),
    aud: params.present.aud,
    cnonce: hexDecode(params.present.nonce),
    now: params.present.now,
    provider,
  })
  const claims = await verifyKbt({ kbt, issuerKey: publicJwkOf(inputs.issuerKey), aud: params.verify.aud, cnonce: hexDecode(params.verify.nonce), now: params.verify.now, provider })
  const sdView = inspectToken(sdCwt, provider)
  const raw = parseSdCwt(sdCwt).disclosures
  const disclosures = sdView.sdCwt.disclosures.map((d) => ({
    index: d.index,
    kind: d.kind,
    ...(d.key === undefined ? {} : { key: d.key }),
    ...(d.value === undefined ? {} : { value: d.value }),
    salt: d.salt,
    bytes: hexEncode(raw[d.index]!),
    digest: d.digest,
    listedAt: d.listedAt,
  }))
  const negative = await generateNegativeVectors(sdCwt, { issuer: inputs.issuerKey, holder: inputs.holderKey }, params, provider)
  return new Map<string, string | Uint8Array>([
    ['sd-cwt.cbor', sdCwt],
    ['sd-cwt.hex', hexEncode(sdCwt) + '\n'],
    ['sd-cwt.diag.txt', renderInspection(sdCwt, sdView, provider) + '\n'],
    ['disclosures.json', JSON.stringify(disclosures, null, 2) + '\n'],
    ['kbt.cbor', kbt],
    ['kbt.hex', hexEncode(kbt) + '\n'],
    ['kbt.diag.txt', renderInspection(kbt, inspectToken(kbt, provider), provider) + '\n'],
    ['disclosed-claims.json', JSON.stringify(claims) + '\n'],
    ...negative.files,
    ['negative/expected.json', JSON.stringify(negative.list, null, 2) + '\n'],
  ])
}
