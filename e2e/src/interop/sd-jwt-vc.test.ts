/**
 * Interop with @sd-jwt/sd-jwt-vc 0.19.0 (OpenWallet Foundation sd-jwt-js), used as its README shows
 * (`new SDJwtVcInstance({ verifier, kbVerifier, hasher: digest, … })`, crypto from @sd-jwt/crypto-nodejs),
 * against `e2eid issuer serve` and `e2eid verifier serve` with their default configuration on loopback:
 * - it verifies SD-JWT VCs the e2eid issuer issued to `e2eid wallet receive`, with the issuer keys taken from
 *   the issuer's JWT VC Issuer Metadata (SD-JWT VC §5) and the status from the live Token Status List;
 * - it verifies the e2eid wallet's presentations (`e2eid wallet present`, KB-JWT with aud and nonce);
 * - as a holder, its presentations are accepted by the e2eid verifier service (OpenID4VP direct_post) and by
 *   `e2eid verify` (the CLI, issuer key pinned from the issuer's metadata, live status list).
 */
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliWallet } from '../testkit/cli-wallet.js'
import { cliWallet, runCli } from '../testkit/cli-wallet.js'
import { algOfJwk, generateJwkPair } from '../testkit/node-jose.js'
import type { TestIssuer } from '../testkit/servers.js'
import { BOB, newVerifierRequest, startDefaultIssuer, startDefaultVerifier, verifierResult } from '../testkit/servers.js'
import type { RunningVerifier } from '@e2eid/verifier'
import { receiveWithOid4vcTs } from '../testkit/vci-holder.js'
import { createPublicKey, verify as nodeVerify } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let issuer: TestIssuer
let verifier: RunningVerifier
let wallet: CliWallet

beforeAll(async () => {
  issuer = await startDefaultIssuer()
  verifier = await startDefaultVerifier(issuer.url)
  wallet = await cliWallet()
})
afterAll(async () => {
  await wallet.close()
  await verifier.close()
  await issuer.close()
})

/** Verifies a JOSE signature with a JWK (ES256 via @sd-jwt/crypto-nodejs, EdDSA via node:crypto). */
async function jwkVerifier(jwk: Record<string, unknown>): Promise<(data: string, sig: string) => Promise<boolean>> {
  if (algOfJwk(jwk) === 'ES256') return ES256.getVerifier(jwk)
  const key = createPublicKey({ key: jwk as never, format: 'jwk' })
  return async (data, sig) => nodeVerify(null, Buffer.from(data), key, Buffer.from(sig, 'base64url'))
}

/**
 * A relying party's SDJwtVcInstance: the issuer-signed JWT is checked with the key named by its `kid` in the
 * issuer's `/.well-known/jwt-vc-issuer` (fetched here, as sd-jwt-js leaves key discovery to the app), the KB-JWT
 * with the `cnf.jwk` of the credential, the status with the library's default status list fetcher.
 */
function relyingParty(statuses: number[]): SDJwtVcInstance {
  const keysOf = async (iss: string) => {
    const u = new URL(iss)
    const meta = (await (await fetch(`${u.origin}/.well-known/jwt-vc-issuer${u.pathname === '/' ? '' : u.pathname}`)).json()) as { issuer: string; jwks: { keys: Array<Record<string, unknown>> } }
    expect(meta.issuer).toBe(iss)
    return meta.jwks.keys
  }
  return new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    verifier: async (data, sig) => {
      const [h, p] = data.split('.')
      const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as { kid?: string }
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { iss?: string; sub?: string }
      // The credential names its issuer in iss; the status list token (statusVerifier falls back here) in sub's origin.
      const iss = payload.iss ?? new URL(payload.sub!).origin
      const keys = (await keysOf(iss)).filter((k) => header.kid === undefined || k.kid === header.kid)
      for (const k of keys) if (await (await jwkVerifier(k))(data, sig)) return true
      return false
    },
    kbVerifier: async (data, sig, payload) => (await jwkVerifier((payload.cnf as { jwk: Record<string, unknown> }).jwk))(data, sig),
    statusValidator: async (status) => {
      statuses.push(status)
      if (status !== 0) throw new Error(`status ${status}`)
    },
  })
}

describe('@sd-jwt/sd-jwt-vc 0.19.0 ↔ e2eid (default issuer, wallet CLI, verifier service)', () => {
  let credentialId: string
  let raw: string

  beforeAll(async () => {
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    const r = await wallet.run('receive', offer_uri, '--trust-issuer', issuer.url, '--json')
    expect(r.code, r.stderr).toBe(0)
    credentialId = (JSON.parse(r.stdout) as { id: string }).id
    const shown = await wallet.run('show', credentialId)
    raw = (JSON.parse(shown.stdout) as { raw: string }).raw
  })

  it('verifies the SD-JWT VC issued to `e2eid wallet receive` (keys from jwt-vc-issuer metadata, live status list)', async () => {
    const statuses: number[] = []
    const sdjwt = relyingParty(statuses)
    const v = await sdjwt.verify(raw)
    expect(v.header).toMatchObject({ typ: 'dc+sd-jwt' })
    expect(v.payload).toMatchObject({ iss: issuer.url, vct: `${issuer.url}/vct/mimi_identity_sd_jwt`, handle: BOB.handle, email: BOB.email })
    expect((v.payload.status as { status_list: { uri: string } }).status_list.uri.startsWith(`${issuer.url}/status-lists/`)).toBe(true)
    expect(statuses).toEqual([0])
    // A flipped bit in the issuer signature is refused.
    const [jwt, ...rest] = raw.split('~')
    // (the second-to-last base64url character carries six signature bits; replace it by a different one)
    const tampered = [jwt!.slice(0, -2) + (jwt!.at(-2) === 'A' ? 'B' : 'A') + jwt!.slice(-1), ...rest].join('~')
    expect(tampered).not.toBe(raw)
    await expect(relyingParty([]).verify(tampered)).rejects.toThrow()
  })

  it("verifies the e2eid wallet's presentation (`e2eid wallet present`): KB-JWT aud and nonce, only the disclosed claim", async () => {
    const nonce = 'a1b2c3d4e5f60718'
    const r = await wallet.run('present', '--credential', credentialId, '--disclose', 'handle', '--aud', 'https://rp.example', '--nonce', nonce)
    expect(r.code, r.stderr).toBe(0)
    const v = await relyingParty([]).verify(r.stdout.trim(), { keyBindingNonce: nonce })
    expect(v.kb?.payload).toMatchObject({ aud: 'https://rp.example', nonce })
    expect(v.payload.handle).toBe(BOB.handle)
    expect(v.payload.email).toBeUndefined()
    // The KB-JWT is bound to its nonce: another nonce is refused.
    await expect(relyingParty([]).verify(r.stdout.trim(), { keyBindingNonce: 'ffff' })).rejects.toThrow()
  })

  it('as a holder: its presentation of an e2eid credential is accepted by the e2eid verifier service (OpenID4VP direct_post)', async () => {
    // The credential is bound to a key the sd-jwt-js holder keeps (received with @openid4vc/openid4vci).
    const holder = generateJwkPair('ES256')
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    const { credential } = await receiveWithOid4vcTs(offer_uri, 'mimi_identity_sd_jwt', { holder })
    const sdjwt = new SDJwtVcInstance({ hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt, kbSigner: await ES256.getSigner(holder.privateJwk), kbSignAlg: 'ES256' })

    const req = await newVerifierRequest(verifier.url)
    const request = req.request as { client_id: string; nonce: string; state: string; response_uri: string; dcql_query: { credentials: Array<{ id: string; format: string }> } }
    const query = request.dcql_query.credentials.find((q) => q.format === 'dc+sd-jwt')!
    const presentation = await sdjwt.present(credential, { handle: true }, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: request.client_id, nonce: request.nonce } } })
    const post = await fetch(request.response_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ [query.id]: [presentation] }), state: request.state }).toString(),
    })
    expect(post.status).toBe(200)
    expect(await verifierResult(verifier.url, req)).toMatchObject({ status: 'verified', presentations: [{ queryId: query.id, issuer: issuer.url, claims: { handle: BOB.handle } }] })

    // A presentation for another verifier (wrong KB-JWT aud) is refused.
    const req2 = await newVerifierRequest(verifier.url)
    const r2 = req2.request as typeof request
    const wrongAud = await sdjwt.present(credential, { handle: true }, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: 'redirect_uri:https://other.example/response', nonce: r2.nonce } } })
    const post2 = await fetch(r2.response_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ [query.id]: [wrongAud] }), state: r2.state }).toString(),
    })
    expect(post2.status).toBe(400)
    expect(await verifierResult(verifier.url, req2)).toMatchObject({ status: 'rejected' })
  })

  it('as a holder: its presentation (SDJwtVcInstance.present with a KB-JWT) is verified by `e2eid verify`', async () => {
    const holder = generateJwkPair('ES256')
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    const { credential } = await receiveWithOid4vcTs(offer_uri, 'mimi_identity_sd_jwt', { holder })
    const sdjwt = new SDJwtVcInstance({ hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt, kbSigner: await ES256.getSigner(holder.privateJwk), kbSignAlg: 'ES256' })
    const aud = 'https://rp.example'
    const nonce = 'n-0123456789abcdef'
    const presentation = await sdjwt.present(credential, { handle: true }, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud, nonce } } })
    // The issuer key the CLI pins: the one the credential's kid names in the issuer's JWT VC Issuer Metadata.
    const { kid } = JSON.parse(Buffer.from(credential.split('.')[0]!, 'base64url').toString()) as { kid: string }
    const meta = (await (await fetch(`${issuer.url}/.well-known/jwt-vc-issuer`)).json()) as { jwks: { keys: Array<{ kid?: string }> } }
    const key = meta.jwks.keys.find((k) => k.kid === kid)
    expect(key).toBeDefined()
    const dir = await mkdtemp(join(tmpdir(), 'e2eid-interop-verify-'))
    try {
      const vpFile = join(dir, 'vp.txt')
      const keyFile = join(dir, 'issuer-key.json')
      await writeFile(vpFile, presentation)
      await writeFile(keyFile, JSON.stringify(key))
      const verify = (...extra: string[]) => runCli('verify', '--presentation', vpFile, '--issuer-key', keyFile, '--status', 'required', '--allow-insecure-loopback', ...extra)
      const ok = await verify('--aud', aud, '--nonce', nonce)
      expect(ok.code, ok.stdout + ok.stderr).toBe(0)
      const claims = JSON.parse(ok.stdout) as Record<string, unknown>
      expect(claims).toMatchObject({ iss: issuer.url, vct: `${issuer.url}/vct/mimi_identity_sd_jwt`, handle: BOB.handle })
      expect(claims.email).toBeUndefined() // not disclosed
      // Its KB-JWT binds aud and nonce: another nonce or audience is refused with the verifier's code.
      for (const [args, code] of [
        [['--aud', aud, '--nonce', 'another-nonce'], 'ERR_SDJWT_KB_NONCE_MISMATCH'],
        [['--aud', 'https://other.example', '--nonce', nonce], 'ERR_SDJWT_KB_AUD_MISMATCH'],
      ] as const) {
        const bad = await verify(...args)
        expect(bad.code).toBe(1)
        expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code } })
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

/**
 * Credo 0.6's SD-JWT VC verifier resolves issuer keys only from a DID in `iss` or an `x5c` header, never from JWT VC
 * Issuer Metadata (credo-ts packages/core/src/modules/sd-jwt-vc/SdJwtVcService.ts, issuer signer method 'did' |
 * 'x5c'). Credo itself cannot run here (Askar downloads a native binary at install), so this shows the path it
 * takes with the issuer option meant for it, `sd_jwt_issuer: "did:web"` (not the default): @sd-jwt/sd-jwt-vc
 * verifies with the key that iss's DID document (/.well-known/did.json) names by the header kid.
 */
describe('an issuer keyed by did:web (sd_jwt_issuer "did:web", for DID-only verifiers such as Credo)', () => {
  let didIssuer: TestIssuer
  let didWallet: CliWallet
  beforeAll(async () => {
    didIssuer = await startDefaultIssuer({ config: { sd_jwt_issuer: 'did:web' } })
    didWallet = await cliWallet()
  })
  afterAll(async () => {
    await didWallet.close()
    await didIssuer.close()
  })

  it('`e2eid wallet receive` takes it, and @sd-jwt/sd-jwt-vc verifies it with the key of the did:web document', async () => {
    const { offer_uri } = await didIssuer.offer('mimi_identity_sd_jwt')
    const r = await didWallet.run('receive', offer_uri, '--trust-issuer', didIssuer.url, '--json')
    expect(r.code, r.stdout).toBe(0)
    const { raw } = JSON.parse((await didWallet.run('show', (JSON.parse(r.stdout) as { id: string }).id)).stdout) as { raw: string }
    const port = new URL(didIssuer.url).port
    const did = `did:web:127.0.0.1%3A${port}`
    // A did:web resolver (W3C did:web §3.2: did:web:host%3Aport → /.well-known/did.json; http on loopback only).
    const resolveDid = async (didUrl: string) => {
      const [d, fragment] = didUrl.split('#')
      expect(d).toBe(did)
      const doc = (await (await fetch(`${didIssuer.url}/.well-known/did.json`)).json()) as { id: string; verificationMethod: Array<{ id: string; publicKeyJwk: Record<string, unknown> }>; assertionMethod: string[] }
      expect(doc.id).toBe(did)
      const vm = doc.verificationMethod.find((m) => m.id === didUrl || m.id === `#${fragment}`)
      expect(doc.assertionMethod).toContain(vm?.id)
      return vm!.publicKeyJwk
    }
    // As Credo does: resolve the signer from the credential's header kid (a DID URL of iss), then verify with a
    // verifier bound to that key (sd-jwt-js reuses it for the status list token, signed with the same key).
    const header = JSON.parse(Buffer.from(raw.split('.')[0]!, 'base64url').toString()) as { kid: string }
    const sdjwt = new SDJwtVcInstance({ hasher: digest, verifier: await jwkVerifier(await resolveDid(header.kid)) })
    const v = await sdjwt.verify(raw)
    expect(v.payload).toMatchObject({ iss: did, vct: `${didIssuer.url}/vct/mimi_identity_sd_jwt`, handle: BOB.handle })
    expect((v.header as { kid: string }).kid.startsWith(`${did}#`)).toBe(true)
  })
})
