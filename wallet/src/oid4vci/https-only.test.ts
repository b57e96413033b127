import { describe, expect, it } from 'vitest'
import { createSdJwtVcHandler } from '../formats/sd-jwt-vc.js'
import { memoryWallet } from '../test-helpers/memory-wallet.js'

// The library's http:// permission is one process-global switch (oid4vci/https-only.ts); each
// receive must keep its own https:// policy whatever another receive allowed meanwhile.
const HTTP_ISSUER = 'http://127.0.0.1:9'
const offerByValue = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify({
  credential_issuer: HTTP_ISSUER,
  credential_configuration_ids: ['mimi_identity_sd_jwt'],
  grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'secret-code' } },
}))}`

function recordingFetch(): { fetch: typeof fetch; urls: string[]; release: () => void } {
  const urls: string[] = []
  let release = () => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  return {
    urls,
    release,
    fetch: async (input) => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
      await held
      return new Response('not found', { status: 404 })
    },
  }
}

describe('OpenID4VCI §12.2.1 https:// issuers: allowInsecureUrls is per receive', () => {
  it('while a receive that allows http is in flight, another without it sends no request to an http issuer', async () => {
    const dev = recordingFetch()
    const devWallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [HTTP_ISSUER], fetch: dev.fetch })
    const inFlight = devWallet.receive(`openid-credential-offer://?credential_offer_uri=${HTTP_ISSUER}/offer`, {
      allowInsecureUrls: true,
    })
    const other = recordingFetch()
    other.release()
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [HTTP_ISSUER], fetch: other.fetch })
    await expect(wallet.receive(offerByValue)).rejects.toMatchObject({ code: 'ERR_WALLET_OFFER_INVALID' })
    await expect(wallet.receive(`openid-credential-offer://?credential_offer_uri=${HTTP_ISSUER}/offer`))
      .rejects.toMatchObject({ code: 'ERR_WALLET_OFFER_INVALID' })
    expect(other.urls).toEqual([])
    dev.release()
    await expect(inFlight).rejects.toMatchObject({ code: 'ERR_WALLET_OFFER_INVALID' })
    expect(dev.urls).toEqual([`${HTTP_ISSUER}/offer`])
  })

  it('after a receive that allowed http, a later one without it still refuses an http issuer before any request', async () => {
    const dev = recordingFetch()
    dev.release()
    const devWallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [HTTP_ISSUER], fetch: dev.fetch })
    await expect(devWallet.receive(offerByValue, { allowInsecureUrls: true })).rejects.toMatchObject({
      code: 'ERR_WALLET_METADATA_INVALID',
    })
    expect(dev.urls.length).toBeGreaterThan(0)
    const other = recordingFetch()
    other.release()
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [HTTP_ISSUER], fetch: other.fetch })
    await expect(wallet.receive(offerByValue)).rejects.toMatchObject({ code: 'ERR_WALLET_OFFER_INVALID' })
    expect(other.urls).toEqual([])
  })
})
