import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CborSimple, CborTag, REDACTED_CLAIM_KEYS, createKbt, decodeCbor, encodeCbor, hexDecode, hexEncode, issueSdCwt, jwkToCoseKey, parseSdCwt } from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../main.js'

const provider = createNodeCryptoProvider()
const NOW = 1_800_000_000
const AUD = 'https://verifier.example'
const NONCE = '8c0f5f523b95bea44a9a48c649240803'
let dir: string
let issuer: KeyPair
let holder: KeyPair
let other: KeyPair
const f: Record<string, string> = {}

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out: () => out.join(''), err: () => err.join('') }
}

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const p = join(dir, name)
  await writeFile(p, content)
  return p
}

async function cli(...argv: string[]) {
  const c = capture()
  const code = await main(['sd-cwt', ...argv], c.io)
  return { code, out: c.out(), err: c.err() }
}

/** Exit 1 with exactly one JSON error object on stdout; returns its code. */
async function errorCode(...argv: string[]): Promise<string> {
  const r = await cli(...argv)
  expect(r.code).toBe(1)
  const j = JSON.parse(r.out) as { error: { code: string; message: string } }
  expect(Object.keys(j)).toEqual(['error'])
  expect(typeof j.error.message).toBe('string')
  return j.error.code
}

const CLAIMS = {
  claims: {
    '1': 'https://issuer.example',
    '2': 'https://holder.example',
    '-70000': -1.5,
    '501': 'ABCD-123456',
    '"502"': 'text label 502',
    email: 'alice@example.com',
    address: { country: 'us', region: 'ca', locality: 'SF' },
    roles: ['member', 'admin', 'auditor'],
    photo: { bstr: 'AQID' },
    when: { tag: 1, value: 1363896240 },
  },
  redact: ['501', 'email', 'address', 'address.country', 'address.region', 'roles.1', 'roles.2'],
  decoys: { address: 1, roles: 2 },
  validFor: 3600,
}

async function issueHex(extra: string[] = [], claims: unknown = CLAIMS): Promise<string> {
  const r = await cli('issue', '--claims', await file(`c${Math.random()}.json`, JSON.stringify(claims)), '--issuer-key', f.issuerPriv!, '--holder-key', f.holderPub!, '--now', String(NOW), ...extra)
  expect(r.err).toBe('')
  expect(r.code).toBe(0)
  return r.out.trim()
}

async function presentHex(sdCwtFile: string, disclose: string, extra: string[] = []): Promise<string> {
  const r = await cli('present', '--sd-cwt', sdCwtFile, '--holder-key', f.holderPriv!, '--disclose', disclose, '--aud', AUD, '--nonce', NONCE, '--now', String(NOW + 60), ...extra)
  expect(r.err).toBe('')
  expect(r.code).toBe(0)
  return r.out.trim()
}

function verifyArgs(kbtFile: string, extra: string[] = []): string[] {
  return ['verify', '--kbt', kbtFile, '--issuer-key', f.issuerPub!, '--aud', AUD, '--nonce', NONCE, '--now', String(NOW + 61), ...extra]
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-cli-sd-cwt-'))
  issuer = await provider.generateKeyPair('ES256')
  holder = await provider.generateKeyPair('EdDSA')
  other = await provider.generateKeyPair('ES256')
  f.issuerPriv = await file('issuer.private.json', JSON.stringify({ ...issuer.privateJwk, kid: 'issuer-1' }))
  f.issuerPub = await file('issuer.public.json', JSON.stringify(issuer.publicJwk))
  f.holderPub = await file('holder.public.json', JSON.stringify(holder.publicJwk))
  f.holderPriv = await file('holder.private.json', JSON.stringify(holder.privateJwk))
  f.otherPub = await file('other.public.json', JSON.stringify(other.publicJwk))
  f.otherPriv = await file('other.private.json', JSON.stringify(other.privateJwk))
  f.sdCwt = await file('sd-cwt.hex', (await issueHex()) + '\n')
  f.kbt = await file('kbt.hex', await presentHex(f.sdCwt, 'email,address.country,roles.1,501'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('e2eid sd-cwt: usage and help (issue 2 §3, exit 2 for usage errors)', () => {
  it('no subcommand: exit 2 with the usage; --help: exit 0', async () => {
    expect((await cli()).code).toBe(2)
    const h = await cli('--help')
    expect(h.code).toBe(0)
    expect(h.out).toContain('issue     issue an SD-CWT')
  })

  it('unknown subcommand: exit 2', async () => {
    const r = await cli('sign')
    expect(r.code).toBe(2)
    expect(r.err).toContain("unknown subcommand 'sign'")
  })

  it.each([
    ['issue', '--claims FILE --issuer-key FILE --holder-key FILE [--decoys N] [--now UNIX]'],
    ['present', '--sd-cwt FILE --holder-key FILE --disclose PATH[,PATH...] --aud STR [--nonce HEX|TEXT] [--now UNIX]'],
    ['verify', '--kbt FILE --issuer-key FILE --aud STR [--nonce HEX|TEXT | --any-nonce] [--max-kbt-age N] [--now UNIX]'],
    ['inspect', 'FILE'],
  ])('%s --help: exit 0 and the contract synopsis', async (sub, synopsis) => {
    const r = await cli(sub, '--help')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`usage: e2eid sd-cwt ${sub} ${synopsis}`)
  })

  it.each([
    ['issue without --claims', ['issue', '--issuer-key', 'x', '--holder-key', 'y']],
    ['issue with an unknown flag', ['issue', '--claims', 'c', '--issuer-key', 'x', '--holder-key', 'y', '--salt', '00']],
    ['issue with --decoys -1', ['issue', '--claims', 'c', '--issuer-key', 'x', '--holder-key', 'y', '--decoys', '-1']],
    ['issue with --decoys 1001', ['issue', '--claims', 'c', '--issuer-key', 'x', '--holder-key', 'y', '--decoys', '1001']],
    ['issue with --now not an integer', ['issue', '--claims', 'c', '--issuer-key', 'x', '--holder-key', 'y', '--now', '1.5']],
    ['present without --aud', ['present', '--sd-cwt', 's', '--holder-key', 'k', '--disclose', 'email']],
    ['present without --disclose', ['present', '--sd-cwt', 's', '--holder-key', 'k', '--aud', AUD]],
    ['present with an empty --aud', ['present', '--sd-cwt', 's', '--holder-key', 'k', '--disclose', 'email', '--aud', '']],
    ['present with an empty --nonce', ['present', '--sd-cwt', 's', '--holder-key', 'k', '--disclose', 'email', '--aud', AUD, '--nonce', '']],
    ['verify without --kbt', ['verify', '--issuer-key', 'k', '--aud', AUD]],
    ['verify with --nonce and --any-nonce', ['verify', '--kbt', 'f', '--issuer-key', 'k', '--aud', AUD, '--nonce', 'ab', '--any-nonce']],
    ['verify with --max-kbt-age 0', ['verify', '--kbt', 'f', '--issuer-key', 'k', '--aud', AUD, '--max-kbt-age', '0']],
    ['verify with a positional argument', ['verify', 'extra', '--kbt', 'f', '--issuer-key', 'k', '--aud', AUD]],
    ['inspect without FILE', ['inspect']],
    ['inspect with two FILEs', ['inspect', 'a', 'b']],
  ])('%s: exit 2, usage on stderr, nothing on stdout', async (_name, argv) => {
    const r = await cli(...argv)
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toContain('usage: e2eid sd-cwt')
  })

  it('a missing file is a failure (exit 1) naming the file and its flag, not a raw ENOENT', async () => {
    const missing = join(dir, 'no-such-file.hex')
    const r = await cli(...verifyArgs(missing))
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'ERR_FILE_NOT_FOUND', message: `KBT file not found: ${missing}`, hint: 'check the path given to --kbt' } })
    expect(r.err).toBe('')
  })
})

describe('e2eid sd-cwt issue', () => {
  it('prints one SD-CWT as hex: typ 293, sd_alg -16, kid from the JWK, cnf COSE_Key, iat = --now, exp = --now + validFor', async () => {
    const hex = await issueHex()
    expect(hex).toMatch(/^[0-9a-f]+$/)
    const t = parseSdCwt(hexDecode(hex))
    expect(t.sign1.protectedHeaders.get(16)).toBe(293)
    expect(t.sign1.protectedHeaders.get(170)).toBe(-16)
    expect(t.sign1.protectedHeaders.get(1)).toBe(-7)
    expect(t.sign1.protectedHeaders.get(4)).toEqual(new TextEncoder().encode('issuer-1'))
    expect(t.claims.get(6)).toBe(NOW)
    expect(t.claims.get(4)).toBe(NOW + 3600)
    expect(t.claims.get(8)).toEqual(new Map([[1, jwkToCoseKey(holder.publicJwk)]]))
    // Integer labels, the quoted text label, the float, bytes and the tag keep their CBOR types.
    expect(t.claims.get(-70000)).toBe(-1.5)
    expect(t.claims.get('502')).toBe('text label 502')
    expect(t.claims.get('photo')).toEqual(new Uint8Array([1, 2, 3]))
    expect(t.claims.get('when')).toEqual(new CborTag(1, 1363896240))
    // 501, email and address are redacted at the top, plus --decoys 0: 3 digests; roles.1, roles.2 + 2 decoys: 60(...).
    expect((t.claims.get(REDACTED_CLAIM_KEYS) as unknown[]).length).toBe(3)
    expect(t.claims.has(501) || t.claims.has('email') || t.claims.has('address')).toBe(false)
    const roles = t.claims.get('roles') as unknown[]
    expect(roles[0]).toBe('member')
    expect(roles.slice(1).map((r) => (r instanceof CborTag ? r.tag : r))).toEqual([60, 60, 60, 60])
    // Disclosures: 501, email, address (+ country, region, 1 decoy inside), 2 elements, 2 element decoys.
    expect(t.disclosures.length).toBe(10)
  })

  it('--decoys N adds N top-level decoy digests, each with a disclosure', async () => {
    const t = parseSdCwt(hexDecode(await issueHex(['--decoys', '4'])))
    expect((t.claims.get(REDACTED_CLAIM_KEYS) as unknown[]).length).toBe(3 + 4)
    expect(t.disclosures.length).toBe(14)
  })

  it('a COSE_Key holder key (hex) and a private holder JWK are accepted; cnf is the public key only', async () => {
    const coseHex = await file('holder.cose.hex', hexEncode(encodeCbor(jwkToCoseKey(holder.publicJwk))))
    const r1 = await cli('issue', '--claims', await file('c1.json', JSON.stringify(CLAIMS)), '--issuer-key', f.issuerPriv!, '--holder-key', coseHex, '--now', String(NOW))
    const r2 = await cli('issue', '--claims', await file('c2.json', JSON.stringify(CLAIMS)), '--issuer-key', f.issuerPriv!, '--holder-key', f.holderPriv!, '--now', String(NOW))
    expect([r1.code, r2.code]).toEqual([0, 0])
    for (const r of [r1, r2]) expect(parseSdCwt(hexDecode(r.out.trim())).claims.get(8)).toEqual(new Map([[1, jwkToCoseKey(holder.publicJwk)]]))
  })

  it('issued twice, the salts differ (fresh random salts, §6.1)', async () => {
    const a = parseSdCwt(hexDecode(await issueHex()))
    const b = parseSdCwt(hexDecode(await issueHex()))
    expect(hexEncode(a.disclosures[0]!)).not.toBe(hexEncode(b.disclosures[0]!))
  })

  const bad = (claims: unknown) => async () => {
    const p = await file(`bad${Math.random()}.json`, typeof claims === 'string' ? claims : JSON.stringify(claims))
    return errorCode('issue', '--claims', p, '--issuer-key', f.issuerPriv!, '--holder-key', f.holderPub!, '--now', String(NOW))
  }

  it.each([
    ['not JSON', 'ERR_CLI_CLAIMS_INVALID', '{"claims": '],
    ['no "claims" member', 'ERR_CLI_CLAIMS_INVALID', { '1': 'x' }],
    ['an unknown member', 'ERR_CLI_CLAIMS_INVALID', { claims: { '1': 'x' }, disclose: [] }],
    ['"redact" not an array of strings', 'ERR_CLI_CLAIMS_INVALID', { claims: { '1': 'x' }, redact: [1] }],
    ['a bad bstr', 'ERR_CLI_CLAIMS_INVALID', { claims: { '1': 'x', p: { bstr: 'a+b=' } } }],
    ['tag 58 written by hand', 'ERR_CLI_CLAIMS_INVALID', { claims: { '1': 'x', p: { tag: 58, value: 'v' } } }],
    ['the same text label twice ("a" and "\\"a\\"")', 'ERR_CLI_CLAIMS_INVALID', { claims: { '1': 'x', a: 1, '"a"': 2 } }],
    ['an integer beyond 2^53', 'ERR_CLI_CLAIMS_INVALID', '{"claims": {"1": "x", "n": 18446744073709551615}}'],
    ['nesting deeper than 16', 'ERR_CLI_CLAIMS_INVALID', { claims: { '1': 'x', d: JSON.parse('['.repeat(20) + ']'.repeat(20)) as unknown } }],
    ['validFor together with exp', 'ERR_CLI_CLAIMS_INVALID', { claims: { '1': 'x', '4': NOW + 10 }, validFor: 10 }],
    ['decoys on a text value', 'ERR_CLI_CLAIMS_INVALID', { claims: { '1': 'x', e: 'y' }, decoys: { e: 1 } }],
    ['a redact PATH that names nothing', 'ERR_SDCWT_PATH_NOT_FOUND', { claims: { '1': 'x' }, redact: ['address.country'] }],
    ['a redact PATH with bad syntax', 'ERR_SDCWT_PATH_INVALID', { claims: { '1': 'x' }, redact: ['a..b'] }],
    ['redacting iss (never redacted, §6)', 'ERR_SDCWT_REDACTION_FORBIDDEN', { claims: { '1': 'x' }, redact: ['1'] }],
    ['a cnf in the claims (the issuer sets it)', 'ERR_SDCWT_INVALID_CLAIMS', { claims: { '1': 'x', '8': {} } }],
  ])('claims file with %s: exit 1, %s', async (_name, code, claims) => {
    expect(await bad(claims)()).toBe(code)
  })

  it('a public issuer key cannot sign: exit 1, ERR_KEY_INVALID', async () => {
    const c = await file('ok.json', JSON.stringify(CLAIMS))
    expect(await errorCode('issue', '--claims', c, '--issuer-key', f.issuerPub!, '--holder-key', f.holderPub!)).toBe('ERR_KEY_INVALID')
  })

  it('a holder key file that is neither JWK nor COSE_Key: exit 1 with the decoder code', async () => {
    const c = await file('ok2.json', JSON.stringify(CLAIMS))
    const k = await file('junk.key', 'zz not a key')
    expect(await errorCode('issue', '--claims', c, '--issuer-key', f.issuerPriv!, '--holder-key', k)).toMatch(/^ERR_(CBOR|COSE|KEY)_/)
  })
})

describe('e2eid sd-cwt present', () => {
  it('prints a KBT (typ 294, kcwt 13) carrying only the disclosures for the PATHs and their containers', async () => {
    const kbt = decodeCbor(hexDecode(await presentHex(f.sdCwt!, 'address.country'))) as CborTag
    const [protectedBytes, , payload] = kbt.value as [Uint8Array, unknown, Uint8Array]
    const ph = decodeCbor(protectedBytes) as Map<unknown, unknown>
    expect(ph.get(16)).toBe(294)
    expect(decodeCbor(payload)).toEqual(new Map<unknown, unknown>([[3, AUD], [6, NOW + 60], [39, hexDecode(NONCE)]]))
    const inner = parseSdCwt(ph.get(13))
    // address.country needs the address disclosure and the country disclosure, nothing else.
    expect(inner.disclosures.length).toBe(2)
  })

  it('--disclose "" discloses nothing (sd_claims omitted); repeated --disclose flags add up', async () => {
    const none = decodeCbor(hexDecode(await presentHex(f.sdCwt!, ''))) as CborTag
    const ph = decodeCbor((none.value as [Uint8Array])[0]) as Map<unknown, unknown>
    expect(parseSdCwt(ph.get(13)).disclosures.length).toBe(0)
    const two = await presentHex(f.sdCwt!, 'email', ['--disclose', '501'])
    const r = await cli(...verifyArgs(await file('two.hex', two)))
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ email: 'alice@example.com', '501': 'ABCD-123456' })
  })

  it.each([
    ['a PATH that names nothing', 'nickname', 'ERR_SDCWT_PATH_NOT_FOUND'],
    ['a PATH with bad syntax', 'address.', 'ERR_SDCWT_PATH_INVALID'],
  ])('%s: exit 1, %s', async (_name, path, code) => {
    expect(await errorCode('present', '--sd-cwt', f.sdCwt!, '--holder-key', f.holderPriv!, '--disclose', path, '--aud', AUD)).toBe(code)
  })

  it('a key that is not the cnf key: exit 1, ERR_SDCWT_HOLDER_KEY_MISMATCH', async () => {
    expect(await errorCode('present', '--sd-cwt', f.sdCwt!, '--holder-key', f.otherPriv!, '--disclose', 'email', '--aud', AUD)).toBe('ERR_SDCWT_HOLDER_KEY_MISMATCH')
  })

  it('a public holder key: exit 1, ERR_KEY_INVALID', async () => {
    expect(await errorCode('present', '--sd-cwt', f.sdCwt!, '--holder-key', f.holderPub!, '--disclose', 'email', '--aud', AUD)).toBe('ERR_KEY_INVALID')
  })

  it('an SD-CWT file that is not CBOR: exit 1 with a CBOR/COSE code', async () => {
    const p = await file('broken.hex', 'd28443a10126')
    expect(await errorCode('present', '--sd-cwt', p, '--holder-key', f.holderPriv!, '--disclose', 'email', '--aud', AUD)).toMatch(/^ERR_(CBOR|COSE)_/)
  })
})

describe('e2eid sd-cwt verify (CLI contract)', () => {
  it('exit 0 and the Validated Disclosed Claims Set as one JSON object', async () => {
    const r = await cli(...verifyArgs(f.kbt!))
    expect(r.code).toBe(0)
    expect(r.out.trim().split('\n')).toHaveLength(1)
    const claims = JSON.parse(r.out) as Record<string, unknown>
    expect(claims).toEqual({
      '1': 'https://issuer.example',
      '2': 'https://holder.example',
      '4': NOW + 3600,
      '6': NOW,
      '8': { '1': { '1': 1, '-1': 6, '-2': holder.publicJwk.x } },
      '-70000': -1.5,
      '501': 'ABCD-123456',
      '502': 'text label 502',
      email: 'alice@example.com',
      address: { locality: 'SF', country: 'us' },
      roles: ['member', 'admin'],
      photo: 'AQID',
      when: { tag: 1, value: 1363896240 },
    })
  })

  it('raw CBOR KBT file and a COSE_Key issuer key (raw and hex) work the same', async () => {
    const raw = await file('kbt.cbor', hexDecode(await (await import('node:fs/promises')).readFile(f.kbt!, 'utf8')))
    const coseRaw = await file('issuer.cose', encodeCbor(jwkToCoseKey(issuer.publicJwk)))
    const coseHex = await file('issuer.cose.hex', hexEncode(encodeCbor(jwkToCoseKey(issuer.publicJwk))).replace(/(.{16})/g, '$1\n'))
    const base = JSON.parse((await cli(...verifyArgs(f.kbt!))).out) as unknown
    for (const key of [coseRaw, coseHex]) {
      const r = await cli('verify', '--kbt', raw, '--issuer-key', key, '--aud', AUD, '--nonce', NONCE, '--now', String(NOW + 61))
      expect(r.code).toBe(0)
      expect(JSON.parse(r.out)).toEqual(base)
    }
  })

  it('issue 15: without --nonce a KBT carrying a cnonce is refused (ERR_VERIFY_NONCE_UNEXPECTED); --any-nonce accepts it; one without cnonce verifies', async () => {
    expect(await errorCode('verify', '--kbt', f.kbt!, '--issuer-key', f.issuerPub!, '--aud', AUD, '--now', String(NOW + 61))).toBe('ERR_VERIFY_NONCE_UNEXPECTED')
    expect((await cli('verify', '--kbt', f.kbt!, '--issuer-key', f.issuerPub!, '--aud', AUD, '--any-nonce', '--now', String(NOW + 61))).code).toBe(0)
    const noNonce = await cli('present', '--sd-cwt', f.sdCwt!, '--holder-key', f.holderPriv!, '--disclose', 'email', '--aud', AUD, '--now', String(NOW + 60))
    expect((await cli('verify', '--kbt', await file('nononce2.hex', noNonce.out), '--issuer-key', f.issuerPub!, '--aud', AUD, '--now', String(NOW + 61))).code).toBe(0)
  })

  it('issue 15: --nonce that is not hex is its UTF-8 text, in present and verify alike (as e2eid verify takes it)', async () => {
    const text = await cli('present', '--sd-cwt', f.sdCwt!, '--holder-key', f.holderPriv!, '--disclose', 'email', '--aud', AUD, '--nonce', 'n-0S6_WzA2Mj', '--now', String(NOW + 60))
    expect(text.code).toBe(0)
    const kbt = await file('textnonce.hex', text.out)
    expect((await cli('verify', '--kbt', kbt, '--issuer-key', f.issuerPub!, '--aud', AUD, '--nonce', 'n-0S6_WzA2Mj', '--now', String(NOW + 61))).code).toBe(0)
    expect((await cli('verify', '--kbt', kbt, '--issuer-key', f.issuerPub!, '--aud', AUD, '--nonce', hexEncode(new TextEncoder().encode('n-0S6_WzA2Mj')), '--now', String(NOW + 61))).code).toBe(0)
    expect(await errorCode('verify', '--kbt', kbt, '--issuer-key', f.issuerPub!, '--aud', AUD, '--nonce', 'n-0S6_WzA2Mk', '--now', String(NOW + 61))).toBe('ERR_SDCWT_CNONCE_MISMATCH')
  })

  it('issue 15: a KBT older than 300 s is refused by default (ERR_SDCWT_KBT_TOO_OLD); --max-kbt-age raises the limit', async () => {
    expect((await cli(...verifyArgs(f.kbt!).map((a) => (a === String(NOW + 61) ? String(NOW + 60 + 300) : a)))).code).toBe(0)
    expect(await errorCode(...verifyArgs(f.kbt!).map((a) => (a === String(NOW + 61) ? String(NOW + 60 + 300 + 61) : a)))).toBe('ERR_SDCWT_KBT_TOO_OLD')
    expect((await cli(...verifyArgs(f.kbt!, ['--max-kbt-age', '400']).map((a) => (a === String(NOW + 61) ? String(NOW + 60 + 300 + 61) : a)))).code).toBe(0)
  })

  it('wrong aud: ERR_SDCWT_AUD_MISMATCH', async () => {
    expect(await errorCode('verify', '--kbt', f.kbt!, '--issuer-key', f.issuerPub!, '--aud', 'https://other.example', '--now', String(NOW + 61))).toBe('ERR_SDCWT_AUD_MISMATCH')
  })

  it('wrong nonce: ERR_SDCWT_CNONCE_MISMATCH; a KBT without cnonce when --nonce is given: ERR_SDCWT_CNONCE_MISSING', async () => {
    expect(await errorCode(...verifyArgs(f.kbt!).map((a) => (a === NONCE ? '00' + NONCE.slice(2) : a)))).toBe('ERR_SDCWT_CNONCE_MISMATCH')
    const noNonce = await cli('present', '--sd-cwt', f.sdCwt!, '--holder-key', f.holderPriv!, '--disclose', 'email', '--aud', AUD, '--now', String(NOW + 60))
    expect(await errorCode(...verifyArgs(await file('nononce.hex', noNonce.out)))).toBe('ERR_SDCWT_CNONCE_MISSING')
  })

  it('another issuer key: ERR_SDCWT_ISSUER_SIGNATURE_INVALID', async () => {
    expect(await errorCode('verify', '--kbt', f.kbt!, '--issuer-key', f.otherPub!, '--aud', AUD, '--now', String(NOW + 61))).toBe('ERR_SDCWT_ISSUER_SIGNATURE_INVALID')
  })

  it('expired SD-CWT (past exp plus the 60 s skew): ERR_SDCWT_EXPIRED; just inside the skew: valid', async () => {
    expect(await errorCode('verify', '--kbt', f.kbt!, '--issuer-key', f.issuerPub!, '--aud', AUD, '--now', String(NOW + 3600 + 60))).toBe('ERR_SDCWT_EXPIRED')
    expect((await cli('verify', '--kbt', f.kbt!, '--issuer-key', f.issuerPub!, '--aud', AUD, '--any-nonce', '--max-kbt-age', '4000', '--now', String(NOW + 3600 + 59))).code).toBe(0)
  })

  it('KBT iat in the future (beyond skew): ERR_SDCWT_KBT_IAT_IN_FUTURE', async () => {
    expect(await errorCode('verify', '--kbt', f.kbt!, '--issuer-key', f.issuerPub!, '--aud', AUD, '--now', String(NOW - 1))).toBe('ERR_SDCWT_KBT_IAT_IN_FUTURE')
  })

  it('a tampered KBT (one payload byte changed): ERR_SDCWT_KBT_SIGNATURE_INVALID', async () => {
    const hex = (await (await import('node:fs/promises')).readFile(f.kbt!, 'utf8')).trim()
    const i = hex.indexOf(hexEncode(new TextEncoder().encode(AUD)))
    const tampered = hex.slice(0, i) + '69' + hex.slice(i + 2) // 'h' → 'i'
    expect(await errorCode('verify', '--kbt', await file('tampered.hex', tampered), '--issuer-key', f.issuerPub!, '--aud', 'ittps://verifier.example', '--now', String(NOW + 61))).toBe('ERR_SDCWT_KBT_SIGNATURE_INVALID')
  })

  it('an SD-CWT where a KBT is expected: ERR_SDCWT_KBT_TYP_INVALID', async () => {
    expect(await errorCode(...verifyArgs(f.sdCwt!))).toBe('ERR_SDCWT_KBT_TYP_INVALID')
  })

  it.each([
    ['an empty file', '  \n', 'ERR_CLI_INPUT_EMPTY'],
    ['an odd number of hex digits', 'd28', 'ERR_HEX_INVALID'],
    ['CBOR that is not a COSE_Sign1', 'a0', 'ERR_COSE_TAG_MISSING'],
  ])('%s: exit 1, %s', async (_name, content, code) => {
    expect(await errorCode(...verifyArgs(await file(`in${Math.random()}.hex`, content)))).toBe(code)
  })

  it('a disclosed claims set with both 7000 and "7000" cannot be shown as JSON: ERR_CBOR_JSON_KEY_COLLISION', async () => {
    const sd = await issueHex([], { claims: { '1': 'https://issuer.example', '2': 's', '7000': 'int', '"7000"': 'text' } })
    const kbt = await presentHex(await file('collide.hex', sd), '')
    expect(await errorCode(...verifyArgs(await file('collide-kbt.hex', kbt)))).toBe('ERR_CBOR_JSON_KEY_COLLISION')
  })

  it('an issuer key file with bad JSON: ERR_KEY_INVALID', async () => {
    expect(await errorCode('verify', '--kbt', f.kbt!, '--issuer-key', await file('bad.jwk', '{"kty": '), '--aud', AUD)).toBe('ERR_KEY_INVALID')
  })
})

describe('e2eid sd-cwt inspect', () => {
  it('an SD-CWT: headers, claims, each disclosure with its digest and where it is listed', async () => {
    const r = await cli('inspect', f.sdCwt!)
    expect(r.code).toBe(0)
    expect(r.out).toContain('SD-CWT (typ 293)')
    expect(r.out).toContain('16: 293')
    expect(r.out).toContain('claim "email": "alice@example.com"')
    // Claims sets are indented diagnostic notation, redactions in place.
    expect(r.out).toMatch(/\n {6}simple\(59\): \[\n {8}h'[0-9a-f]{64}'/)
    expect(r.out).toContain('redactions:  10 digests, 10 with a disclosure here, 0 without')
    const t = parseSdCwt(hexDecode((await (await import('node:fs/promises')).readFile(f.sdCwt!, 'utf8')).trim()))
    const digests = [...r.out.matchAll(/digest h'([0-9a-f]{64})'/g)].map((m) => m[1])
    expect(digests).toHaveLength(t.disclosures.length)
    // Every digest shown is one the payload or a disclosure lists.
    for (const d of digests) expect(r.out.split(`h'${d}'`).length).toBeGreaterThan(2)
    // Each disclosure's bytes are shown exactly as carried in sd_claims.
    for (const b of t.disclosures) expect(r.out).toContain(`bytes  h'${hexEncode(b)}'`)
  })

  it('a KBT: the KBT headers and claims, then the embedded SD-CWT with the presented disclosures', async () => {
    const r = await cli('inspect', f.kbt!)
    expect(r.code).toBe(0)
    expect(r.out).toContain('KBT (Key Binding Token, typ 294)')
    expect(r.out).toContain(`\n      3: "${AUD}",`)
    expect(r.out).toContain(`\n      39: h'${NONCE}'`)
    expect(r.out).toContain('SD-CWT (typ 293)')
    expect([...r.out.matchAll(/\n {4}\[\d+\] /g)]).toHaveLength(5)
    expect(r.out).toContain('redactions:  10 digests, 5 with a disclosure here, 5 without')
    // The revealed view holds what was disclosed and not what was withheld.
    const revealed = r.out.slice(r.out.indexOf('revealed ('))
    expect(revealed).toContain('"country": "us"')
    expect(revealed).not.toContain('"region"')
  })

  it('--json: the same view as one JSON object', async () => {
    const r = await cli('inspect', '--json', f.kbt!)
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out) as { kind: string; sdCwt: { disclosures: unknown[] } }
    expect(j.kind).toBe('kbt')
    expect(j.sdCwt.disclosures).toHaveLength(5)
  })

  it('not a token: exit 1 with a code', async () => {
    expect(await errorCode('inspect', await file('not.hex', hexEncode(encodeCbor([1, 2]))))).toMatch(/^ERR_COSE_/)
    expect(await errorCode('inspect', await file('simple.hex', hexEncode(encodeCbor(new CborSimple(59)))))).toMatch(/^ERR_COSE_/)
  })
})

describe('round trip issue → present → verify → inspect (with the library as the other side)', () => {
  it('a KBT made by the library from a CLI-issued SD-CWT verifies in the CLI; a CLI KBT verifies in the library', async () => {
    const sd = hexDecode((await (await import('node:fs/promises')).readFile(f.sdCwt!, 'utf8')).trim())
    const kbt = await createKbt({ sdCwt: sd, disclose: ['roles.1'], holderKey: holder.privateJwk, aud: AUD, cnonce: hexDecode(NONCE), iat: NOW + 60, provider })
    const r = await cli(...verifyArgs(await file('lib-kbt.cbor', kbt)))
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ roles: ['member', 'admin'] })
    expect((JSON.parse(r.out) as Record<string, unknown>).email).toBeUndefined()
    const { verifySdCwtPresentation } = await import('@e2eid/shared')
    const v = await verifySdCwtPresentation(hexDecode((await (await import('node:fs/promises')).readFile(f.kbt!, 'utf8')).trim()), { issuerKeys: [issuer.publicJwk], aud: AUD, cnonce: hexDecode(NONCE), now: NOW + 61, provider })
    expect(v.claims.get('email')).toBe('alice@example.com')
    expect(v.claims.get('address')).toEqual(new Map([['locality', 'SF'], ['country', 'us']]))
  })

  it('a library-issued SD-CWT with ckt cnf cannot be presented without knowing the key: the CLI reports the code', async () => {
    const sd = await issueSdCwt({ claims: new Map<unknown, unknown>([[1, 'https://issuer.example'], [2, 's'], [new CborTag(58, 'e'), 1]]), issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, cnf: 'ckt', now: NOW, provider })
    const kbt = await createKbt({ sdCwt: sd, disclose: ['e'], holderKey: holder.privateJwk, aud: AUD, iat: NOW + 1, provider })
    expect(await errorCode('verify', '--kbt', await file('ckt.cbor', kbt), '--issuer-key', f.issuerPub!, '--aud', AUD, '--now', String(NOW + 2))).toBe('ERR_SDCWT_CNF_UNRESOLVED')
  })
})
