/**
 * @module vectors/sd-jwt-vc
 * The golden SD-JWT VC vectors of specs/vectors/sd-jwt-vc/: a `dc+sd-jwt` credential shaped as the issuer's
 * default `mimi_identity_sd_jwt` configuration emits it (issuer/src/formats/sd-jwt-vc.ts: iat = nbf = now,
 * exp = now + validity_seconds, vct, cnf.jwk, status.status_list, the configuration's selectively disclosable
 * claims and decoys), a presentation with a KB-JWT, and the processed payload a verifier gets. Made by
 * `issueSdJwtVcDetailed` / `presentSdJwtVc` / `verifySdJwtVcPresentation` of @e2eid/shared from committed inputs
 * and the test-only Ed25519 keys of specs/vectors/sd-cwt/keys (RFC 8032 signatures are deterministic), so
 * every output reproduces byte for byte. `specs/vectors/sd-jwt-vc/generate.mjs` writes them;
 * `sd-jwt-vc.test.ts` regenerates and compares.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { E2eidError, decodeJwtUnverified, issueSdJwtVcDetailed, parsePrivateJwk, presentSdJwtVc, publicJwkOf, splitSdJwt, verifySdJwtVcPresentation } from '@e2eid/shared'
import type { CryptoProvider, PrivateJwk, PublicJwk } from '@e2eid/shared'
import { generateSdJwtVcNegativeVectors } from './sd-jwt-vc-negative.js'

/** params.json of specs/vectors/sd-jwt-vc. */
export interface SdJwtVcGoldenParams {
  issue: {
    now: number
    iss: string
    /** The issuer configuration the credential follows (issuer/src/config: `credential_configurations`). */
    configurationId: string
    vct: string
    validitySeconds: number
    selectivelyDisclosable: string[]
    decoys: number
    status: { uri: string; idx: number }
  }
  present: { now: number; aud: string; nonce: string; disclose: string[] }
  verify: { now: number; aud: string; nonce: string }
}

/** Everything the vectors are made from. */
export interface SdJwtVcGoldenInputs {
  /** The user's attributes (the issuer's user record `claims`). */
  claims: Record<string, unknown>
  issuerKey: PrivateJwk
  holderKey: PrivateJwk
  /** base64url salts, used in the order the issuer draws them. */
  salts: string[]
  params: SdJwtVcGoldenParams
}

/** The input files, relative to specs/vectors/sd-jwt-vc (the keys are those of ../sd-cwt/keys). */
export const SD_JWT_VC_GOLDEN_INPUT_FILES = ['claims.json', 'params.json', 'salts.json', '../sd-cwt/keys/issuer.private.jwk.json', '../sd-cwt/keys/holder.private.jwk.json'] as const

/** Reads the inputs from the vector directory (specs/vectors/sd-jwt-vc). */
export async function readSdJwtVcGoldenInputs(dir: string): Promise<SdJwtVcGoldenInputs> {
  const json = async (name: string): Promise<unknown> => JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown
  return {
    claims: (await json('claims.json')) as Record<string, unknown>,
    issuerKey: parsePrivateJwk(await json('../sd-cwt/keys/issuer.private.jwk.json')),
    holderKey: parsePrivateJwk(await json('../sd-cwt/keys/holder.private.jwk.json')),
    salts: ((await json('salts.json')) as { salts: string[] }).salts,
    params: (await json('params.json')) as SdJwtVcGoldenParams,
  }
}

/** The holder key as a proof JWT carries it (kty, crv, x): the issuer copies the proof's `jwk` into `cnf.jwk`. */
export function holderProofJwk(key: PrivateJwk): PublicJwk {
  const pub = publicJwkOf(key)
  if (pub.kty !== 'OKP') throw new E2eidError('ERR_CLI_GOLDEN_KEY', 'the golden holder key is Ed25519')
  return { kty: pub.kty, crv: pub.crv, x: pub.x }
}

const pretty = (v: unknown): string => JSON.stringify(v, null, 2) + '\n'

/** Generates every output file (name → content) from the inputs. */
export async function generateSdJwtVcGoldenVectors(inputs: SdJwtVcGoldenInputs, provider: CryptoProvider): Promise<Map<string, string>> {
  const { params } = inputs
  const p = params.issue
  let next = 0
  // The issuer adapter passes only the configuration's disclosable claims the user actually has.
  const disclosable = p.selectivelyDisclosable.filter((name) => Object.hasOwn(inputs.claims, name))
  const issued = await issueSdJwtVcDetailed({
    provider,
    claims: inputs.claims,
    disclosable,
    decoys: p.decoys,
    issuerKey: inputs.issuerKey,
    alg: 'EdDSA',
    ...(inputs.issuerKey.kid === undefined ? {} : { kid: inputs.issuerKey.kid }),
    iss: p.iss,
    vct: p.vct,
    holderKey: holderProofJwk(inputs.holderKey),
    iat: p.now,
    nbf: p.now,
    exp: p.now + p.validitySeconds,
    status: p.status,
    saltGenerator: () => {
      const s = inputs.salts[next++]
      if (s === undefined) throw new E2eidError('ERR_CLI_GOLDEN_SALTS', 'salts.json has too few salts')
      return s
    },
  })
  if (next !== inputs.salts.length) throw new E2eidError('ERR_CLI_GOLDEN_SALTS', `salts.json has ${inputs.salts.length} salts, the issuer used ${next}`)

  const presentation = await presentSdJwtVc({
    provider,
    sdJwtVc: issued.compact,
    disclose: params.present.disclose,
    holderKey: inputs.holderKey,
    aud: params.present.aud,
    nonce: params.present.nonce,
    iat: params.present.now,
  })
  const verified = await verifySdJwtVcPresentation(presentation, {
    provider,
    issuerKeys: [publicJwkOf(inputs.issuerKey)],
    aud: params.verify.aud,
    nonce: params.verify.nonce,
    now: params.verify.now,
  })

  const disclosures = issued.disclosures.map((d) => ({ salt: d.salt, name: d.name, value: d.value, encoded: d.encoded, digest: d.digest }))
  const parts = splitSdJwt(presentation)
  const kb = decodeJwtUnverified(parts.kbJwt!)
  const names = issued.disclosures.map((d) => d.name)
  const negative = await generateSdJwtVcNegativeVectors(issued.compact, names, { issuer: inputs.issuerKey, holder: inputs.holderKey }, params, provider)
  if (negative.control !== presentation) throw new E2eidError('ERR_CLI_GOLDEN_CONTROL', 'the negative vectors are not built like the golden presentation')
  return new Map<string, string>([
    ['sd-jwt-vc.txt', issued.compact + '\n'],
    ['sd-jwt-vc.decoded.json', pretty({ header: issued.header, payload: issued.payload, disclosures })],
    ['presentation.txt', presentation + '\n'],
    [
      'presentation.decoded.json',
      pretty({
        disclosed: parts.disclosures.map((e) => {
          const d = issued.disclosures.find((x) => x.encoded === e)
          return { name: d?.name, value: d?.value, digest: d?.digest, encoded: e }
        }),
        sd_hash_input: parts.sdJwt,
        kb_jwt: { header: kb.header, payload: kb.payload },
      }),
    ],
    ['processed-payload.json', pretty(verified.claims)],
    ...negative.files,
    ['negative/expected.json', pretty(negative.list)],
  ])
}
