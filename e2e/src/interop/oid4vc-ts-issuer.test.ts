/**
 * A third-party issuer → `e2eid wallet receive`: an issuer built on oid4vc-ts (Openid4vciIssuer,
 * Oauth2AuthorizationServer, Oauth2ResourceServer 0.4.6, the layer under Credo's OpenId4VcIssuerModule) that
 * signs SD-JWT VCs with @sd-jwt/sd-jwt-vc 0.19.0, keyed two ways (SD-JWT VC §3.5 leaves key resolution open):
 * - by JWT VC Issuer Metadata (`iss` = its URL, /.well-known/jwt-vc-issuer);
 * - by DID (`iss` = did:jwk, `kid` = `<did>#0`), which is what Credo issues when its issuer has a DID.
 * The CLI wallet must receive both, then present with a KB-JWT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { digest } from '@sd-jwt/crypto-nodejs'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import type { CliWallet } from '../testkit/cli-wallet.js'
import { cliWallet } from '../testkit/cli-wallet.js'
import { verifyCompact } from '../testkit/node-jose.js'
import type { PeerIssuer } from '../testkit/oid4vc-ts-issuer.js'
import { startOid4vcTsIssuer } from '../testkit/oid4vc-ts-issuer.js'

describe.each(['metadata', 'did:jwk'] as const)('oid4vc-ts Openid4vciIssuer + @sd-jwt/sd-jwt-vc keyed by %s → `e2eid wallet receive`', (keyedBy) => {
  let peer: PeerIssuer
  let wallet: CliWallet
  beforeAll(async () => {
    peer = await startOid4vcTsIssuer(keyedBy)
    wallet = await cliWallet()
  })
  afterAll(async () => {
    await wallet.close()
    await peer.close()
  })

  it('receives the credential (pre-authorized code, offer by value) and presents it', async () => {
    const offer = await peer.offer()
    expect(offer.startsWith('openid-credential-offer://?credential_offer=')).toBe(true)
    const r = await wallet.run('receive', offer, '--trust-issuer', peer.url, '--json')
    expect(r.code, r.stderr).toBe(0)
    const { id, format } = JSON.parse(r.stdout) as { id: string; format: string }
    expect(format).toBe('dc+sd-jwt')

    const shown = JSON.parse((await wallet.run('show', id)).stdout) as { issuer: string; claims: Record<string, unknown>; raw: string }
    expect(shown.claims).toMatchObject({ iss: peer.iss, vct: peer.vct, handle: 'im:carol@peer.example', email: 'carol@peer.example' })

    const p = await wallet.run('present', '--credential', id, '--disclose', 'handle', '--aud', 'https://rp.example', '--nonce', '00ff')
    expect(p.code, p.stderr).toBe(0)
    // The issuer's own library verifies the presentation (its key, holder binding from cnf.jwk).
    const theirs = new SDJwtVcInstance({
      hasher: digest,
      verifier: async (data, sig) => verifyCompact(peer.publicJwk, `${data}.${sig}`),
      kbVerifier: async (data, sig, payload) => verifyCompact((payload.cnf as { jwk: Record<string, unknown> }).jwk, `${data}.${sig}`),
    })
    const v = await theirs.verify(p.stdout.trim(), { keyBindingNonce: '00ff' })
    expect(v.payload.handle).toBe('im:carol@peer.example')
    expect(v.payload.email).toBeUndefined()
    expect(v.kb?.payload.aud).toBe('https://rp.example')
  })

  it("a replayed offer fails cleanly with the peer's invalid_grant (its pre-authorized code is single use)", async () => {
    const offer = await peer.offer()
    expect((await wallet.run('receive', offer, '--trust-issuer', peer.url)).code).toBe(0)
    const again = await wallet.run('receive', offer, '--trust-issuer', peer.url)
    expect(again.code).toBe(1)
    const { error } = JSON.parse(again.stdout) as { error: { code: string; message: string } }
    expect(error.code).toBe('ERR_WALLET_TOKEN_FAILED')
    expect(error.message).toMatch(/invalid_grant/)
  })
})
