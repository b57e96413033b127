import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CborTag, createKbt, encodeCbor, hexEncode, issueSdCwt, issueSdJwt, issueSdJwtVc, jwkToCoseKey, presentSdJwtVc, sdJwtToJsonSerialization } from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../main.js'
import { readVectorText, vectorDir } from '@e2eid/shared/testing'
import { capture } from '../test-helpers/capture.js'

const provider = createNodeCryptoProvider()
const NOW = 1_800_000_000
let dir: string
let issuer: KeyPair
let holder: KeyPair
let vc: string

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const p = join(dir, name)
  await writeFile(p, content)
  return p
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-cli-verify-'))
  issuer = await provider.generateKeyPair('ES256')
  holder = await provider.generateKeyPair('EdDSA')
  vc = await issueSdJwtVc({
    provider,
    claims: { sub: 'im:alice@example.com', org: 'example.com', email: 'alice@example.com' },
    disclosable: ['org', 'email'],
    issuerKey: issuer.privateJwk,
    iss: 'https://issuer.example',
    vct: 'https://issuer.example/vct/mimi-identity',
    holderKey: holder.publicJwk,
    iat: NOW - 10,
    exp: NOW + 3600,
  })
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('e2eid verify (CLI contract)', () => {
  it('SD-JWT+KB-JWT: exit 0 and the processed payload as one JSON object', async () => {
    const vp = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['org'], holderKey: holder.privateJwk, aud: 'https://v.example', nonce: 'abc', iat: NOW })
    const c = capture()
    const code = await main(['verify', '--presentation', await file('p.txt', vp + '\n'), '--issuer-key', await file('k.json', JSON.stringify(issuer.publicJwk)), '--aud', 'https://v.example', '--nonce', 'abc', '--now', String(NOW)], c.io)
    expect(code).toBe(0)
    const claims = JSON.parse(c.out.join('')) as Record<string, unknown>
    expect(claims).toMatchObject({ iss: 'https://issuer.example', org: 'example.com', sub: 'im:alice@example.com' })
    expect(claims.email).toBeUndefined()
  })

  it('SD-JWT+KB-JWT in its JWS JSON serialization (RFC 9901 §8, Flattened and General): the same verdict', async () => {
    const vp = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['org'], holderKey: holder.privateJwk, aud: 'https://v.example', nonce: 'abc', iat: NOW })
    const key = await file('kj.json', JSON.stringify(issuer.publicJwk))
    for (const form of ['flattened', 'general'] as const) {
      const c = capture()
      const args = ['verify', '--presentation', await file(`p-${form}.json`, JSON.stringify(sdJwtToJsonSerialization(vp, form as 'flattened'), null, 2)), '--issuer-key', key, '--aud', 'https://v.example', '--nonce', 'abc', '--now', String(NOW)]
      expect(await main(args, c.io), c.out.join('')).toBe(0)
      expect(c.json()).toMatchObject({ org: 'example.com' })
    }
    // A disclosure smuggled into the unprotected header of a second signature is refused.
    const g = sdJwtToJsonSerialization(vp, 'general')
    const bad = { ...g, signatures: [...g.signatures, { ...g.signatures[0]!, header: { disclosures: g.signatures[0]!.header!.disclosures } }] }
    const c = capture()
    expect(await main(['verify', '--presentation', await file('bad.json', JSON.stringify(bad)), '--issuer-key', key, '--aud', 'https://v.example', '--nonce', 'abc', '--now', String(NOW)], c.io)).toBe(1)
    expect(c.json()).toMatchObject({ error: { code: 'ERR_SDJWT_MALFORMED' } })
  })

  it('exit 1 with {"error":{code,message}}: wrong aud, wrong key, KB missing without --no-kb', async () => {
    const vp = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['org'], holderKey: holder.privateJwk, aud: 'https://v.example', nonce: 'abc', iat: NOW })
    const p = await file('p2.txt', vp)
    const k = await file('k2.json', JSON.stringify(issuer.publicJwk))
    let c = capture()
    expect(await main(['verify', '--presentation', p, '--issuer-key', k, '--aud', 'https://other.example', '--now', String(NOW)], c.io)).toBe(1)
    expect(JSON.parse(c.out.join(''))).toEqual({ error: { code: 'ERR_SDJWT_KB_AUD_MISMATCH', message: expect.any(String) } })
    const other = await provider.generateKeyPair('ES256')
    c = capture()
    expect(await main(['verify', '--presentation', p, '--issuer-key', await file('k3.json', JSON.stringify(other.publicJwk)), '--aud', 'https://v.example', '--now', String(NOW)], c.io)).toBe(1)
    expect(JSON.parse(c.out.join('')).error.code).toBe('ERR_SDJWT_SIGNATURE_INVALID')
    const bare = await file('bare.txt', vc)
    c = capture()
    expect(await main(['verify', '--presentation', bare, '--issuer-key', k, '--aud', 'https://v.example', '--now', String(NOW)], c.io)).toBe(1)
    expect(JSON.parse(c.out.join('')).error.code).toBe('ERR_SDJWT_KB_MISSING')
    c = capture()
    expect(await main(['verify', '--presentation', bare, '--issuer-key', k, '--aud', 'https://v.example', '--now', String(NOW), '--no-kb'], c.io)).toBe(0)
    // --typ overrides the expected typ: the credential's dc+sd-jwt is then refused.
    c = capture()
    expect(await main(['verify', '--presentation', p, '--issuer-key', k, '--aud', 'https://v.example', '--now', String(NOW), '--typ', 'example+sd-jwt'], c.io)).toBe(1)
    expect(JSON.parse(c.out.join('')).error.code).toBe('ERR_SDJWT_TYP_INVALID')
  })

  it('SD-CWT KBT as hex or raw CBOR, issuer key as JWK or COSE_Key: exit 0 and the Validated Disclosed Claims Set', async () => {
    const claims = new Map<unknown, unknown>([[1, 'https://issuer.example'], [2, 'im:alice@example.com'], [6, NOW - 10], [4, NOW + 3600], [new CborTag(58, 'org'), 'example.com'], [new CborTag(58, 'email'), 'alice@example.com']])
    const sdCwt = await issueSdCwt({ claims, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider })
    const kbt = await createKbt({ sdCwt, disclose: ['org'], holderKey: holder.privateJwk, aud: 'https://v.example', cnonce: Uint8Array.from([1, 2, 3]), iat: NOW, now: NOW, provider })
    const jwkFile = await file('ik.json', JSON.stringify(issuer.publicJwk))
    const coseFile = await file('ik.cbor', encodeCbor(jwkToCoseKey(issuer.publicJwk)))
    const coseHexFile = await file('ik.hex', hexEncode(encodeCbor(jwkToCoseKey(issuer.publicJwk))))
    for (const [p, k] of [[await file('kbt.hex', hexEncode(kbt) + '\n'), jwkFile], [await file('kbt.cbor', kbt), coseFile], [await file('kbt2.hex', hexEncode(kbt)), coseHexFile]] as const) {
      const c = capture()
      expect(await main(['verify', '--presentation', p, '--issuer-key', k, '--aud', 'https://v.example', '--nonce', '010203', '--now', String(NOW)], c.io), c.out.join('')).toBe(0)
      const out = JSON.parse(c.out.join('')) as Record<string, unknown>
      expect(out).toMatchObject({ '1': 'https://issuer.example', '2': 'im:alice@example.com', org: 'example.com' })
      expect(out.email).toBeUndefined()
    }
    const c = capture()
    expect(await main(['verify', '--presentation', await file('kbt3.cbor', kbt), '--issuer-key', jwkFile, '--aud', 'https://v.example', '--nonce', '0102ff', '--now', String(NOW)], c.io)).toBe(1)
    expect(JSON.parse(c.out.join('')).error.code).toBe('ERR_SDCWT_CNONCE_MISMATCH')
    const c2 = capture()
    expect(await main(['verify', '--presentation', await file('sdcwt.cbor', sdCwt), '--issuer-key', jwkFile, '--aud', 'https://v.example', '--now', String(NOW)], c2.io)).toBe(1)
    expect(JSON.parse(c2.out.join('')).error.code).toBe('ERR_SDCWT_KBT_MISSING')
    const c3 = capture()
    expect(await main(['verify', '--presentation', await file('sdcwt2.cbor', sdCwt), '--issuer-key', jwkFile, '--aud', 'https://v.example', '--now', String(NOW), '--no-kb', '--typ', '293'], c3.io)).toBe(0)
    const c4 = capture()
    expect(await main(['verify', '--presentation', await file('sdcwt3.cbor', sdCwt), '--issuer-key', jwkFile, '--aud', 'https://v.example', '--now', String(NOW), '--no-kb', '--typ', '999'], c4.io)).toBe(1)
    expect(JSON.parse(c4.out.join('')).error.code).toBe('ERR_VERIFY_TYP_MISMATCH')
  })

  it('as a separate process (node cli/bin/e2eid.js, needs tsc -b): exit 0 with the claims, exit 1 with the error JSON', async () => {
    const vp = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['email'], holderKey: holder.privateJwk, aud: 'https://v.example', nonce: 'n', iat: NOW })
    const bin = fileURLToPath(new URL('../../bin/e2eid.js', import.meta.url))
    const args = ['verify', '--presentation', await file('spawn.txt', vp), '--issuer-key', await file('spawn.json', JSON.stringify(issuer.publicJwk)), '--aud', 'https://v.example', '--nonce', 'n', '--now', String(NOW)]
    const { stdout } = await promisify(execFile)(process.execPath, [bin, ...args])
    expect(JSON.parse(stdout)).toMatchObject({ email: 'alice@example.com' })
    const failed = await promisify(execFile)(process.execPath, [bin, ...args.slice(0, -2), '--now', String(NOW + 7200)]).then(
      () => undefined,
      (e: { code: number; stdout: string }) => e,
    )
    expect(failed?.code).toBe(1)
    expect(JSON.parse(failed!.stdout).error.code).toBe('ERR_SDJWT_EXPIRED')
  })

  it('exit 2 for usage errors', async () => {
    let c = capture()
    expect(await main(['verify', '--aud', 'x'], c.io)).toBe(2)
    c = capture()
    expect(await main(['verify', '--bogus'], c.io)).toBe(2)
    c = capture()
    expect(await main(['verify', '--presentation', 'a', '--issuer-key', 'b', '--aud', 'c', '--now', 'yesterday'], c.io)).toBe(2)
    c = capture()
    expect(await main(['verify', '--presentation', 'a', '--issuer-key', 'b', '--aud', 'c', '--status', 'maybe'], c.io)).toBe(2)
    expect(c.err.join('')).toContain('--status must be skip, if-present or required')
  })

  it('--status required refuses a credential without a status reference (ERR_POLICY_STATUS_MISSING); if-present passes it', async () => {
    const vp = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['org'], holderKey: holder.privateJwk, aud: 'https://v.example', nonce: 'abc', iat: NOW })
    const args = ['verify', '--presentation', await file('ps.txt', vp), '--issuer-key', await file('ks.json', JSON.stringify(issuer.publicJwk)), '--aud', 'https://v.example', '--nonce', 'abc', '--now', String(NOW)]
    const required = capture()
    expect(await main([...args, '--status', 'required'], required.io)).toBe(1)
    expect(JSON.parse(required.out.join('')).error.code).toBe('ERR_POLICY_STATUS_MISSING')
    const ifPresent = capture()
    expect(await main([...args, '--status', 'if-present'], ifPresent.io)).toBe(0)
  })
})

describe('the draft\'s own key files work as --issuer-key (their `jwk` member)', () => {
  it('e2eid verify and e2eid sd-cwt verify accept ../shared/specs/sd-cwt/keys/issuer.json for the draft-08 KBT', async () => {
    const dir08 = vectorDir('sd-cwt')
    if (dir08 === undefined) return
    const params = ['--aud', 'https://verifier.example/app', '--nonce', '8c0f5f523b95bea44a9a48c649240803', '--now', '1725244300']
    const key = join(dir08, 'keys/issuer.json')
    const kbt = join(dir08, 'draft-08/kbt.hex')
    const a = capture()
    expect(await main(['verify', '--presentation', kbt, '--issuer-key', key, ...params], a.io)).toBe(0)
    const b = capture()
    expect(await main(['sd-cwt', 'verify', '--kbt', kbt, '--issuer-key', key, ...params], b.io)).toBe(0)
    expect(JSON.parse(b.out.join(''))).toEqual(JSON.parse(a.out.join('')))
    // A key file that is neither a JWK nor holds one is still refused with a code.
    const c = capture()
    expect(await main(['verify', '--presentation', kbt, '--issuer-key', await file('nokey.json', '{"curve":"P-384"}'), ...params], c.io)).toBe(1)
    expect(JSON.parse(c.out.join('')).error.code).toMatch(/^ERR_KEY_/)
  })
})

describe('e2eid verify --typ example+sd-jwt: plain RFC 9901 SD-JWT (no SD-JWT VC rules)', () => {
  interface Rfc9901Example {
    sd_jwt_presentation?: string
    presentation?: unknown
    verified_contents?: Record<string, unknown>
    expected_presentation_processed_payload?: Record<string, unknown>
    verifier_policy: { kb_expected_nonce: string; kb_expected_aud: string; key_binding_required: boolean }
  }
  const EXAMPLES = ['sec5-main-example', 'A1-simple-structured-with-decoys', 'A2-complex-structured', 'A4-w3c-vcdm2', 'sec8-json-serialization-flattened']

  it('accepts the RFC 9901 examples (§5, A.1, A.2, A.4, §8.2) and prints their processed payload; without --typ they are refused', async () => {
    if (vectorDir('sd-jwt/rfc9901') === undefined) return
    const keys = JSON.parse(readVectorText('sd-jwt/keys.json')) as { issuer_public_jwk: unknown }
    const key = await file('rfc9901-issuer.json', JSON.stringify(keys.issuer_public_jwk))
    for (const name of EXAMPLES) {
      const ex = JSON.parse(readVectorText(`sd-jwt/rfc9901/${name}.json`)) as Rfc9901Example
      const text = ex.sd_jwt_presentation ?? JSON.stringify(ex.presentation)
      const p = await file(`${name}.txt`, text)
      const pol = ex.verifier_policy
      // The KB-JWTs were made at 1748537243 (verifier_policy.time_note); A.1 and A.2 are presented without one.
      const args = ['verify', '--presentation', p, '--issuer-key', key, '--aud', pol.kb_expected_aud, '--now', '1748537300']
      const kb = pol.key_binding_required ? ['--nonce', pol.kb_expected_nonce] : ['--no-kb']
      const c = capture()
      expect(await main([...args, ...kb, '--typ', 'example+sd-jwt'], c.io), `${name}: ${c.out.join('')}`).toBe(0)
      const claims = JSON.parse(c.out.join('')) as Record<string, unknown>
      expect(claims.vct, name).toBeUndefined()
      expect(claims, name).toEqual(ex.verified_contents ?? ex.expected_presentation_processed_payload)
      // Deny by default: without --typ the verifier expects an SD-JWT VC (typ dc+sd-jwt).
      const d = capture()
      expect(await main([...args, ...kb], d.io), name).toBe(1)
      expect(JSON.parse(d.out.join('')).error.code, name).toBe('ERR_SDJWT_TYP_INVALID')
    }
  })

  it('SD-JWT VC rules stay on for SD-JWT VC: a dc+sd-jwt without vct is refused, with or without --typ dc+sd-jwt', async () => {
    const issued = await issueSdJwt({
      provider, header: { typ: 'dc+sd-jwt' }, issuerKey: issuer.privateJwk, claims: { iss: 'https://issuer.example', org: 'example.com', iat: NOW - 10 }, disclosable: ['org'],
    })
    const p = await file('novct.txt', issued.compact)
    const k = await file('k-novct.json', JSON.stringify(issuer.publicJwk))
    for (const typ of [[], ['--typ', 'dc+sd-jwt']]) {
      const c = capture()
      expect(await main(['verify', '--presentation', p, '--issuer-key', k, '--aud', 'https://v.example', '--now', String(NOW), '--no-kb', ...typ], c.io)).toBe(1)
      expect(JSON.parse(c.out.join('')).error.code).toBe('ERR_SDJWT_VCT_MISSING')
    }
  })
})

describe('issue 15: e2eid verify and e2eid sd-cwt verify agree (nonce format, unexpected nonce, KBT age)', () => {
  const AUD = 'https://v.example'
  async function kbtFile(name: string, cnonce: Uint8Array | undefined, iat: number): Promise<string> {
    const claims = new Map<unknown, unknown>([[1, 'https://issuer.example'], [2, 'im:alice@example.com'], [6, NOW - 10], [4, NOW + 3600], [new CborTag(58, 'org'), 'example.com']])
    const sdCwt = await issueSdCwt({ claims, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider })
    const kbt = await createKbt({ sdCwt, disclose: ['org'], holderKey: holder.privateJwk, aud: AUD, ...(cnonce === undefined ? {} : { cnonce }), iat, now: iat, provider })
    return file(name, hexEncode(kbt))
  }
  /** Runs both commands on one KBT with the same flags; returns [exit, error code or undefined] of each. */
  async function both(kbt: string, flags: string[]): Promise<Array<[number, string | undefined]>> {
    const key = await file('agree-key.json', JSON.stringify(issuer.publicJwk))
    const out: Array<[number, string | undefined]> = []
    for (const argv of [['verify', '--presentation', kbt], ['sd-cwt', 'verify', '--kbt', kbt]]) {
      const c = capture()
      const code = await main([...argv, '--issuer-key', key, '--aud', AUD, ...flags], c.io)
      out.push([code, code === 1 ? (JSON.parse(c.out.join('')) as { error: { code: string } }).error.code : undefined])
    }
    return out
  }

  it('a text nonce (not hex) is its UTF-8 bytes in both; a hex nonce is the bytes in both', async () => {
    const kbt = await kbtFile('agree-text.hex', new TextEncoder().encode('n-0S6_WzA2Mj'), NOW)
    expect(await both(kbt, ['--nonce', 'n-0S6_WzA2Mj', '--now', String(NOW)])).toEqual([[0, undefined], [0, undefined]])
    expect(await both(kbt, ['--nonce', hexEncode(new TextEncoder().encode('n-0S6_WzA2Mj')), '--now', String(NOW)])).toEqual([[0, undefined], [0, undefined]])
    expect(await both(kbt, ['--nonce', 'other', '--now', String(NOW)])).toEqual([[1, 'ERR_SDCWT_CNONCE_MISMATCH'], [1, 'ERR_SDCWT_CNONCE_MISMATCH']])
  })

  it('without --nonce, a presentation carrying one is refused by both (ERR_VERIFY_NONCE_UNEXPECTED) unless --any-nonce', async () => {
    const kbt = await kbtFile('agree-nonce.hex', Uint8Array.from([1, 2, 3]), NOW)
    expect(await both(kbt, ['--now', String(NOW)])).toEqual([[1, 'ERR_VERIFY_NONCE_UNEXPECTED'], [1, 'ERR_VERIFY_NONCE_UNEXPECTED']])
    expect(await both(kbt, ['--any-nonce', '--now', String(NOW)])).toEqual([[0, undefined], [0, undefined]])
    expect(await both(kbt, ['--any-nonce', '--nonce', '010203', '--now', String(NOW)])).toEqual([[2, undefined], [2, undefined]])
    const none = await kbtFile('agree-none.hex', undefined, NOW)
    expect(await both(none, ['--now', String(NOW)])).toEqual([[0, undefined], [0, undefined]])
    // SD-JWT: a KB-JWT always has a nonce (RFC 9901 §4.3), so verify needs --nonce or --any-nonce.
    const vp = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['org'], holderKey: holder.privateJwk, aud: AUD, nonce: 'abc', iat: NOW })
    const k = await file('agree-sdjwt-key.json', JSON.stringify(issuer.publicJwk))
    const p = await file('agree-sdjwt.txt', vp)
    const c = capture()
    expect(await main(['verify', '--presentation', p, '--issuer-key', k, '--aud', AUD, '--now', String(NOW)], c.io)).toBe(1)
    expect(JSON.parse(c.out.join('')).error.code).toBe('ERR_VERIFY_NONCE_UNEXPECTED')
    expect(await main(['verify', '--presentation', p, '--issuer-key', k, '--aud', AUD, '--any-nonce', '--now', String(NOW)], capture().io)).toBe(0)
  })

  it('the same key-binding age: 300 s by default in both, --max-kbt-age in both', async () => {
    const kbt = await kbtFile('agree-age.hex', undefined, NOW)
    // Clock skew 60 s in both: refused once iat is more than 300 + 60 s old.
    expect(await both(kbt, ['--now', String(NOW + 360)])).toEqual([[0, undefined], [0, undefined]])
    expect(await both(kbt, ['--now', String(NOW + 361)])).toEqual([[1, 'ERR_SDCWT_KBT_TOO_OLD'], [1, 'ERR_SDCWT_KBT_TOO_OLD']])
    expect(await both(kbt, ['--max-kbt-age', '1000', '--now', String(NOW + 361)])).toEqual([[0, undefined], [0, undefined]])
  })
})
