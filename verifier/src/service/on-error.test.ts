/**
 * The verifier service maps errors in one place (app.onError), as the issuer does: an E2eidError is the client's
 * fault (its 4xx status, 400 when it has none, JSON with its message); any other exception is a 500 JSON that
 * names nothing of the failure (no message, no stack: those are logged, not sent).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { E2eidError } from '@e2eid/shared'
import { createTrustStore } from '../trust/trust-store.js'
import { createHttpClient } from '../http.js'
import { createVerifierApp } from './app.js'

function app() {
  const a = createVerifierApp({
    publicUrl: 'https://verifier.example',
    trust: createTrustStore({ http: createHttpClient({}), authorities: [] }),
    policy: { credentialTypes: ['https://credentials.example/employee'], status: 'if-present' },
  })
  // Routes added after createVerifierApp share its onError.
  a.get('/boom', () => {
    throw new TypeError('secret detail at /srv/verifier/internal.ts')
  })
  a.get('/refused', () => {
    throw new E2eidError('ERR_DCQL_INVALID', 'invalid DCQL query: nope')
  })
  a.get('/gone', () => {
    throw new E2eidError('ERR_VERIFY_FETCH_FAILED', 'gone', { status: 404 })
  })
  return a
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('verifier service onError', () => {
  it('an unexpected exception in a route is a 500 JSON without message or stack', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await app().request('/boom')
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ error: 'server_error', error_description: 'internal error' })
    expect(text).not.toContain('secret')
    expect(text).not.toContain('TypeError')
    expect(logged).toHaveBeenCalledOnce()
  })

  it('an E2eidError is a 400 invalid_request naming the refusal', async () => {
    const res = await app().request('/refused')
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'invalid DCQL query: nope' })
  })

  it('an E2eidError with a 4xx status keeps it', async () => {
    const res = await app().request('/gone')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: 'invalid_request', error_description: 'gone' })
  })

  it('a malformed direct_post response (E2eidError from the parser, no per-route catch) is a 400', async () => {
    const res = await app().request('/response', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=x' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid_request' })
  })
})
