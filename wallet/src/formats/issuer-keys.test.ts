/**
 * Issue 14: the wallet's issuer-key fetch (JWT VC Issuer Metadata, jwks_uri) checks the size while reading. A
 * hostile or broken issuer that streams a huge body must not make the wallet buffer it all.
 */
import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { fetchIssuerKeys } from './issuer-keys.js'

const ISSUER = 'https://issuer.example'
const CHUNK = 64 * 1024

/** A response streaming `chunks` chunks of 64 KiB (no Content-Length), counting how many were pulled. */
function streaming(chunks: number): { res: Response; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0
  let cancelled = false
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled === chunks) return c.close()
      pulled++
      c.enqueue(new Uint8Array(CHUNK).fill(0x20))
    },
    cancel() {
      cancelled = true
    },
  })
  return { res: new Response(body, { headers: { 'content-type': 'application/json' } }), pulled: () => pulled, cancelled: () => cancelled }
}

describe('wallet issuer keys: bounded reads', () => {
  it('attack: a 16 MiB streamed metadata body is cut off past 256 KiB while reading (ERR_WALLET_ISSUER_KEYS), not buffered', async () => {
    const s = streaming(256)
    await expect(fetchIssuerKeys(ISSUER, (async () => s.res) as typeof fetch)).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_KEYS' })
    expect(s.pulled()).toBeLessThanOrEqual(8)
    expect(s.cancelled()).toBe(true)
  })

  it('a declared Content-Length over the cap is refused before reading', async () => {
    const s = streaming(256)
    const res = new Response(s.res.body, { headers: { 'content-length': String(256 * CHUNK) } })
    await expect(fetchIssuerKeys(ISSUER, (async () => res) as typeof fetch)).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_KEYS' })
    expect(s.pulled()).toBeLessThanOrEqual(2)
  })

  it('a metadata document under the cap is read and its keys parsed', async () => {
    const key = (await createNodeCryptoProvider().generateKeyPair('ES256')).publicJwk
    const res = new Response(JSON.stringify({ issuer: ISSUER, jwks: { keys: [key] } }))
    expect(await fetchIssuerKeys(ISSUER, (async () => res) as typeof fetch)).toEqual([expect.objectContaining({ x: key.x })])
  })
})
