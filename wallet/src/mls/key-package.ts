/**
 * @module mls/key-package
 * A ts-mls KeyPackage whose LeafNode `signature_key` is the holder key named by the credential's
 * `cnf` (draft-mahy-mls-sd-cwt-credential-02 §3.1: "Using the MLS signature key as the
 * confirmation key is encouraged"). The wallet keeps one key pair per credential as a JWK; this
 * module turns the private JWK into the ts-mls `SignatureKeyPair`.
 */
import {
  base64urlDecode,
  DEFAULT_MLS_CREDENTIAL_TYPES,
  E2eidError,
  mlsSignatureKeyFromJwk,
  parseMlsCredentialTypes,
  parsePrivateJwk,
  publicJwkOf,
} from '@e2eid/shared'
import type { MlsCredentialTypes, PrivateJwk } from '@e2eid/shared'
import {
  defaultCapabilities,
  encode,
  generateKeyPackageWithKey,
  getCiphersuiteImpl,
  mlsMessageEncoder,
  protocolVersions,
  wireformats,
} from 'ts-mls'
import type { Capabilities, CiphersuiteImpl, CiphersuiteName, Credential, KeyPackage, Lifetime, PrivateKeyPackage, SignatureKeyPair } from 'ts-mls'

/** RFC 9420 cipher suite 1, our default (Ed25519 keys are byte-identical in JWK `x` and MLS). */
export const DEFAULT_MLS_CIPHERSUITE: CiphersuiteName = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519'

/** Curve each supported cipher suite signs with (RFC 9420 §17.1). */
const SUITE_CURVE: Partial<Record<CiphersuiteName, string>> = {
  MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519: 'Ed25519',
  MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519: 'Ed25519',
  MLS_128_DHKEMP256_AES128GCM_SHA256_P256: 'P-256',
  MLS_256_DHKEMP384_AES256GCM_SHA384_P384: 'P-384',
}

/** The suite a key's curve implies when none is given. */
const SUITE_FOR_CURVE: Record<string, number> = { Ed25519: 1, 'P-256': 2, 'P-384': 7 }

const SUITE_BY_ID = new Map<number, CiphersuiteName>([
  [1, 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519'],
  [2, 'MLS_128_DHKEMP256_AES128GCM_SHA256_P256'],
  [3, 'MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519'],
  [7, 'MLS_256_DHKEMP384_AES256GCM_SHA384_P384'],
])

/** The ts-mls implementation of a cipher suite (name or RFC 9420 id). Throws ERR_MLS_CIPHERSUITE_UNSUPPORTED. */
export async function mlsCipherSuite(suite: CiphersuiteName | number = DEFAULT_MLS_CIPHERSUITE): Promise<CiphersuiteImpl> {
  const name = typeof suite === 'number' ? SUITE_BY_ID.get(suite) : suite
  if (name === undefined || SUITE_CURVE[name] === undefined) {
    throw new E2eidError('ERR_MLS_CIPHERSUITE_UNSUPPORTED', `cipher suite ${String(suite)} is not supported (Ed25519, P-256 or P-384 signatures only)`)
  }
  return getCiphersuiteImpl(name)
}

function curveOfSuite(cs: CiphersuiteImpl): string | undefined {
  const name = SUITE_BY_ID.get(cs.id)
  return name === undefined ? undefined : SUITE_CURVE[name]
}

/**
 * The ts-mls signature key pair of a private JWK. Ed25519: the 32-byte seed `d` and raw `x`.
 * ECDSA: the scalar `d` and the *uncompressed* point (RFC 9420 §5.1.1), not ts-mls's compressed form.
 * Throws ERR_MLS_CIPHERSUITE_KEY_MISMATCH when the key's curve is not the suite's.
 */
export function mlsSignatureKeyPairFromJwk(privateJwk: PrivateJwk, cs: CiphersuiteImpl): SignatureKeyPair {
  const key = parsePrivateJwk(privateJwk)
  const curve = curveOfSuite(cs)
  if (curve !== key.crv) {
    throw new E2eidError('ERR_MLS_CIPHERSUITE_KEY_MISMATCH', `a ${key.crv} key cannot sign in cipher suite ${cs.id} (${String(curve)})`)
  }
  return { signKey: base64urlDecode(key.d), publicKey: mlsSignatureKeyFromJwk(publicJwkOf(key)) }
}

/**
 * ts-mls default capabilities plus both e2eid credential types. Every member lists both, so a
 * group can mix sd_cwt and sd_jwt members (RFC 9420 §7.2: each leaf must support every credential
 * type in use; ts-mls rc.10 does not check this for the new member, ts-mls.md §4 item 6).
 */
export function mlsCapabilities(types: MlsCredentialTypes = DEFAULT_MLS_CREDENTIAL_TYPES): Capabilities {
  const caps = defaultCapabilities()
  for (const t of [types.sdCwt, types.sdJwt]) if (!caps.credentials.includes(t)) caps.credentials.push(t)
  return caps
}

/** Input of {@link createMlsKeyPackage}. */
export interface CreateMlsKeyPackageParams {
  /** The MLS credential (from `mlsCredentialFromPresentation`), bound by cnf to `privateJwk`. */
  credential: Credential
  /** The credential's holder key (private JWK), which becomes the MLS signature key. */
  privateJwk: PrivateJwk
  /** Cipher suite implementation; default by the key's curve: suite 1 (Ed25519), 2 (P-256) or 7 (P-384). */
  cipherSuite?: CiphersuiteImpl
  /** Deployment's credential type numbers (default 0x0005 / 0x0006). */
  types?: Partial<MlsCredentialTypes>
  /** KeyPackage lifetime (default ts-mls's). */
  lifetime?: Lifetime
}

/** A KeyPackage and the private keys its holder keeps to join with. */
export interface MlsKeyPackageBundle {
  keyPackage: KeyPackage
  privateKeyPackage: PrivateKeyPackage
}

/**
 * Builds a KeyPackage (RFC 9420 §10) whose LeafNode carries `credential`, is signed by the
 * credential's holder key, and lists our credential types in `capabilities.credentials`.
 */
export async function createMlsKeyPackage(params: CreateMlsKeyPackageParams): Promise<MlsKeyPackageBundle> {
  const types = parseMlsCredentialTypes(params.types)
  const cs = params.cipherSuite ?? (await mlsCipherSuite(SUITE_FOR_CURVE[parsePrivateJwk(params.privateJwk).crv]))
  const signatureKeyPair = mlsSignatureKeyPairFromJwk(params.privateJwk, cs)
  const capabilities = mlsCapabilities(types)
  if (!capabilities.credentials.includes(params.credential.credentialType)) capabilities.credentials.push(params.credential.credentialType)
  const { publicPackage, privatePackage } = await generateKeyPackageWithKey({
    credential: params.credential,
    capabilities,
    signatureKeyPair,
    cipherSuite: cs,
    ...(params.lifetime === undefined ? {} : { lifetime: params.lifetime }),
  })
  return { keyPackage: publicPackage, privateKeyPackage: privatePackage }
}

/** A KeyPackage as an `MLSMessage` (RFC 9420 §6, wire_format mls_key_package), as published to the service. */
export function encodeMlsKeyPackage(keyPackage: KeyPackage): Uint8Array {
  return encode(mlsMessageEncoder, { version: protocolVersions.mls10, wireformat: wireformats.mls_key_package, keyPackage })
}
