import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { StatusList, decodeStatusListJson, hexDecode, hexEncode, signStatusListCwt, signStatusListJwt } from '@e2eid/shared'
import type { PrivateJwk, PublicJwk } from '@e2eid/shared'
import { createNodeCryptoProvider, nodeCompression } from '@e2eid/shared/node'
import { readVectorText, vectorDir } from '@e2eid/shared/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../main.js'
import { capture } from '../test-helpers/capture.js'

const provider = createNodeCryptoProvider()
const have = vectorDir('status-list') !== undefined
const EXPECTED_16 = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]
let dir: string

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const p = join(dir, name)
  await writeFile(p, content)
  return p
}

async function run(args: string[]) {
  const c = capture()
  const code = await main(['status-list', ...args], c.io)
  return { code, c }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-cli-status-list-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe.runIf(have)('e2eid status-list decode: the draft-20 Status List Tokens', () => {
  const jwtVec = () => JSON.parse(readVectorText('status-list/status-list-token-jwt.json')) as { compact_jwt_section_8_2: string; verification_key_jwk: PublicJwk }
  const cwtVec = () => JSON.parse(readVectorText('status-list/status-list-token-cwt.json')) as { cwt_hex: string; verification_key_jwk: PublicJwk }

  it('JWT text, one index and all statuses; --key verifies', async () => {
    const v = jwtVec()
    const token = await file('sl.jwt', v.compact_jwt_section_8_2 + '\n')
    const key = await file('sl-key.json', JSON.stringify(v.verification_key_jwk))
    let r = await run(['decode', '--token', token, '--index', '0'])
    expect(r.code).toBe(0)
    expect(r.c.json()).toEqual({ bits: 1, size: 16, status: 1 })
    r = await run(['decode', '--token', token, '--key', key])
    expect(r.code).toBe(0)
    expect(r.c.json()).toEqual({ bits: 1, size: 16, statuses: EXPECTED_16 })
  })

  it('CWT as hex and as raw bytes, with --key', async () => {
    const v = cwtVec()
    const key = await file('sl-key.json', JSON.stringify(v.verification_key_jwk))
    for (const [name, content] of [['sl.hex', v.cwt_hex], ['sl.cwt', hexDecode(v.cwt_hex)]] as const) {
      const token = await file(name, content)
      const r = await run(['decode', '--token', token, '--index', '3', '--key', key])
      expect(r.code, name).toBe(0)
      expect(r.c.json()).toEqual({ bits: 1, size: 16, status: 1 })
      const all = await run(['decode', '--token', token])
      expect(all.c.json()).toEqual({ bits: 1, size: 16, statuses: EXPECTED_16 })
    }
  })

  it('a key that did not sign the token: exit 1 with the signature error code', async () => {
    const other = await provider.generateKeyPair('ES256')
    const key = await file('other.json', JSON.stringify({ ...other.publicJwk, kid: '12' }))
    const jwt = await file('sl.jwt', jwtVec().compact_jwt_section_8_2)
    let r = await run(['decode', '--token', jwt, '--key', key])
    expect(r.code).toBe(1)
    expect(r.c.json()).toMatchObject({ error: { code: 'ERR_JWS_SIGNATURE_INVALID' } })
    const cwt = await file('sl.hex', cwtVec().cwt_hex)
    r = await run(['decode', '--token', cwt, '--key', key])
    expect(r.code).toBe(1)
    expect(r.c.json()).toMatchObject({ error: { code: 'ERR_COSE_SIGNATURE_INVALID' } })
  })

  it('an index past the end: exit 1 ERR_STATUS_LIST_INDEX_OUT_OF_RANGE', async () => {
    const token = await file('sl.jwt', jwtVec().compact_jwt_section_8_2)
    const r = await run(['decode', '--token', token, '--index', '16'])
    expect(r.code).toBe(1)
    expect(r.c.json()).toMatchObject({ error: { code: 'ERR_STATUS_LIST_INDEX_OUT_OF_RANGE' } })
  })
})

describe('e2eid status-list decode: our own tokens and bad input', () => {
  let priv: PrivateJwk
  beforeAll(async () => {
    priv = (await provider.generateKeyPair('EdDSA')).privateJwk
  })

  it('a 2-bit list in both forms', async () => {
    const list = StatusList.create(40, 2)
    list.set(5, 2)
    list.set(39, 3)
    const input = { list, sub: 'https://example.com/sl/2', iat: 1_800_000_000, key: priv, provider, compression: nodeCompression }
    for (const [name, content] of [['o.jwt', await signStatusListJwt(input)], ['o.hex', hexEncode(await signStatusListCwt(input))]] as const) {
      const r = await run(['decode', '--token', await file(name, content)])
      expect(r.code).toBe(0)
      const out = r.c.json() as { bits: number; size: number; statuses: number[] }
      expect(out.bits).toBe(2)
      expect(out.size).toBe(40)
      expect(out.statuses[5]).toBe(2)
      expect(out.statuses[39]).toBe(3)
      expect(out.statuses.filter((s) => s !== 0)).toHaveLength(2)
    }
  })

  it('bad input exits 1 with a code', async () => {
    const cases: [string | Uint8Array, string][] = [
      ['not a token at all', 'ERR_STATUS_LIST_TOKEN_FORMAT'],
      ['eyJhbGciOiJub25lIiwidHlwIjoic3RhdHVzbGlzdCtqd3QifQ.eyJzdWIiOiJ4In0.AAAA', 'ERR_STATUS_LIST_CLAIM_MISSING'],
      ['eyJhbGciOiJub25lIiwidHlwIjoic3RhdHVzbGlzdCtqd3QifQ.eyJzdWIiOiJ4In0.', 'ERR_JWS_MALFORMED'],
      ['eyJhbGciOiJFUzI1NiIsInR5cCI6Imp3dCJ9.e30.AAAA', 'ERR_STATUS_LIST_TYP_MISMATCH'],
      ['d28443a10126a0', 'ERR_CBOR_'],
      [new Uint8Array([0xd2, 0x84, 0x40]), 'ERR_CBOR_'],
    ]
    for (const [content, code] of cases) {
      const r = await run(['decode', '--token', await file('bad', content)])
      expect(r.code, String(content)).toBe(1)
      expect(String((r.c.json().error as { code: string }).code)).toMatch(new RegExp(`^${code}`))
    }
    const missing = await run(['decode', '--token', join(dir, 'does-not-exist')])
    expect(missing.code).toBe(1)
    expect(missing.c.json()).toMatchObject({ error: { code: 'ERR_FILE_NOT_FOUND', hint: 'check the path given to --token' } })
  })

  it('usage errors exit 2', async () => {
    const token = await file('x.jwt', 'a.b.c')
    for (const args of [['decode'], ['decode', '--token', token, '--index', 'abc'], ['decode', '--token', token, '--bogus'], ['nope'], []]) {
      const r = await run(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.c.out).toEqual([])
    }
    expect((await run(['--help'])).code).toBe(0)
  })
})

describe('e2eid status-list encode', () => {
  it('draft-20 §4.1 example: 1-bit, 16 entries → lst that decodes to b9 a3', async () => {
    const r = await run(['encode', '--bits', '1', '--size', '16', '--set', '0=1,3=1,4=1,5=1,7=1,8=1,9=1,13=1,15=1'])
    expect(r.code).toBe(0)
    const { lst } = r.c.json() as { lst: string }
    expect(lst).toMatch(/^eN/) // zlib level 9 header 78 da
    expect(hexEncode((await decodeStatusListJson({ bits: 1, lst })).bytes)).toBe('b9a3')
  })
  it('2-bit with repeated --set flags', async () => {
    const r = await run(['encode', '--bits', '2', '--size', '12', '--set', '0=1,1=2', '--set', '3=3,8=1,9=2,10=3,11=3,5=1,7=1'])
    expect(r.code).toBe(0)
    const list = await decodeStatusListJson({ bits: 2, lst: (r.c.json() as { lst: string }).lst })
    expect(hexEncode(list.bytes)).toBe('c944f9')
  })
  it('bad values exit 1 with the library code; malformed flags exit 2', async () => {
    const bad: [string[], string][] = [
      [['--bits', '3', '--size', '8'], 'ERR_STATUS_LIST_BITS_INVALID'],
      [['--bits', '1', '--size', '8', '--set', '8=1'], 'ERR_STATUS_LIST_INDEX_OUT_OF_RANGE'],
      [['--bits', '1', '--size', '8', '--set', '0=2'], 'ERR_STATUS_LIST_VALUE_TOO_WIDE'],
    ]
    for (const [args, code] of bad) {
      const r = await run(['encode', ...args])
      expect(r.code, args.join(' ')).toBe(1)
      expect(r.c.json()).toMatchObject({ error: { code } })
    }
    for (const args of [['--bits', '1'], ['--bits', 'x', '--size', '8'], ['--bits', '1', '--size', '8', '--set', '0'], ['--bits', '1', '--size', '8', '--set', '-1=1']]) {
      expect((await run(['encode', ...args])).code, args.join(' ')).toBe(2)
    }
  })
  it('a separate process prints the same JSON (node cli/bin/e2eid.js, needs tsc -b)', async () => {
    const bin = fileURLToPath(new URL('../../bin/e2eid.js', import.meta.url))
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'status-list', 'encode', '--bits', '1', '--size', '16', '--set', '0=1'])
    const { lst } = JSON.parse(stdout) as { lst: string }
    expect((await decodeStatusListJson({ bits: 1, lst })).get(0)).toBe(1)
  })
})
