import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../main.js'
import { defaultDcqlQuery, zVerifierPolicy } from '@e2eid/verifier'
import { localDemoConfig, run } from './verifier.js'
import { capture } from '../test-helpers/capture.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-cli-verifier-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('e2eid verifier serve', () => {
  it('serves OpenID4VP requests on loopback until stopped', async () => {
    const config = join(dir, 'verifier.json')
    await writeFile(
      config,
      JSON.stringify({
        authorities: [{ issuer: 'https://issuer.example', keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE' }] }],
        policy: { required_claims: ['org'], credential_types: ['https://issuer.example/vct/mimi-identity'] },
      }),
    )
    const c = capture()
    const stop = new AbortController()
    const done = run(['serve', '--port', '0', '--config', config], c.io, stop.signal)
    for (let i = 0; i < 100 && !c.out.join('').includes('listening'); i++) await new Promise((r) => setTimeout(r, 20))
    const url = /listening on (\S+)/.exec(c.out.join(''))?.[1]
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${url}/requests`, { method: 'POST' })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { request: { response_uri: string; dcql_query: { credentials: { id: string }[] } } }
    expect(body.request.response_uri).toBe(`${url}/response`)
    // The default request asks for SD-JWT VC only (interop: third-party DCQL parsers refuse unknown formats).
    expect(body.request.dcql_query.credentials.map((q) => q.id)).toEqual(['sd_jwt'])
    stop.abort()
    expect(await done).toBe(0)
  })

  it('--requests-token / $E2EID_VERIFIER_REQUESTS_TOKEN: POST /requests needs Authorization: Bearer (issue 14 item 6)', async () => {
    const TOKEN = 'cli-requests-token-0123456789'
    for (const how of ['flag', 'env'] as const) {
      const c = capture()
      const stop = new AbortController()
      const before = process.env.E2EID_VERIFIER_REQUESTS_TOKEN
      if (how === 'env') process.env.E2EID_VERIFIER_REQUESTS_TOKEN = TOKEN
      try {
        const done = run(['serve', '--port', '0', ...(how === 'flag' ? ['--requests-token', TOKEN] : [])], c.io, stop.signal)
        for (let i = 0; i < 100 && !c.out.join('').includes('listening'); i++) await new Promise((r) => setTimeout(r, 20))
        const url = /listening on (\S+)/.exec(c.out.join(''))?.[1]
        const anon = await fetch(`${url}/requests`, { method: 'POST' })
        expect(anon.status).toBe(401)
        expect(((await anon.json()) as { code: string }).code).toBe('ERR_VERIFY_REQUESTS_UNAUTHORIZED')
        expect((await fetch(`${url}/requests`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(201)
        stop.abort()
        expect(await done).toBe(0)
      } finally {
        if (before === undefined) delete process.env.E2EID_VERIFIER_REQUESTS_TOKEN
        else process.env.E2EID_VERIFIER_REQUESTS_TOKEN = before
      }
    }
  })

  it('without --config: trusts the local issuer and asks for either format of its default credential types', () => {
    const c = localDemoConfig('http://127.0.0.1:8080/')
    expect(c.authorities).toEqual([{ issuer: 'http://127.0.0.1:8080', jwt_vc_issuer: true, cose_key_set_uri: 'http://127.0.0.1:8080/.well-known/cose-keys' }])
    // The local story asks for SD-CWT explicitly (request_sd_cwt), so either format answers.
    expect(c.request_sd_cwt).toBe(true)
    const q = defaultDcqlQuery(zVerifierPolicy.parse(c.policy), { requestSdCwt: c.request_sd_cwt === true })
    expect(q.credentials.map((x) => x.format)).toEqual(['dc+sd-jwt', 'application/sd-cwt'])
    expect(q.credential_sets).toEqual([{ options: [['sd_jwt'], ['sd_cwt']] }])
  })

  it('exit 2 for usage errors, 1 for a missing or invalid config', async () => {
    expect(await main(['verifier'], capture().io)).toBe(2)
    expect(await main(['verifier', 'serve', '--port', 'abc'], capture().io)).toBe(2)
    // A missing file is a failure (exit 1, ERR_FILE_NOT_FOUND naming the file and the flag), not a usage error.
    const m = capture()
    expect(await main(['verifier', 'serve', '--config', join(dir, 'missing.json')], m.io)).toBe(1)
    expect(JSON.parse(m.out.join('')).error).toMatchObject({ code: 'ERR_FILE_NOT_FOUND', hint: 'check the path given to --config' })
    const bad = join(dir, 'bad.json')
    await writeFile(bad, JSON.stringify({ authorities: [{ issuer: 'x' }] }))
    const c = capture()
    expect(await main(['verifier', 'serve', '--port', '0', '--config', bad], c.io)).toBe(1)
    expect(JSON.parse(c.out.join('')).error.code).toBe('ERR_VERIFY_CONFIG_INVALID')
  })
})
