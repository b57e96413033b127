/**
 * Shared by the golden vector tests of cli/src/vectors: where the vectors are, byte-for-byte comparison of a
 * regenerated file set, Ed25519 checks with node:crypto (independent of our JOSE/COSE code), and a verifier
 * status checker that serves the golden status list tokens instead of fetching them.
 */
import { createPublicKey, verify as edVerify } from 'node:crypto'
import { readFile, readdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { hexEncode, parsePublicJwk } from '@e2eid/shared'
import type { CryptoProvider, PublicJwk } from '@e2eid/shared'
import { createHttpClient, createStatusChecker } from '@e2eid/verifier'
import type { StatusChecker } from '@e2eid/verifier'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
export const VECTORS = join(ROOT, 'specs/vectors')

/** The bytes of a committed vector file (`rel` from specs/vectors). */
export async function committed(rel: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(VECTORS, rel)))
}

export async function committedText(rel: string): Promise<string> {
  return readFile(join(VECTORS, rel), 'utf8')
}

export async function committedJson<T>(rel: string): Promise<T> {
  return JSON.parse(await committedText(rel)) as T
}

/** The test-only public key `name` (issuer or holder) of specs/vectors/sd-cwt/keys. */
export async function testKey(name: 'issuer' | 'holder'): Promise<PublicJwk> {
  return parsePublicJwk(await committedJson(`sd-cwt/keys/${name}.public.jwk.json`))
}

/**
 * Every generated file equals the committed one byte for byte, and the folder holds nothing else but the
 * `inputs`, README.md, generate.mjs and .gitattributes (no stale output).
 */
export async function expectFilesCommitted(folder: string, files: Map<string, string | Uint8Array>, inputs: readonly string[]): Promise<void> {
  for (const [name, content] of files) {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content
    expect(hexEncode(await committed(`${folder}/${name}`)), `${folder}/${name}`).toBe(hexEncode(bytes))
  }
  const own = inputs.filter((n) => !n.startsWith('../'))
  const names = [...files.keys(), ...own, 'README.md', 'generate.mjs', '.gitattributes']
  const top = [...new Set(names.map((n) => n.split('/')[0]!))].sort()
  expect((await readdir(join(VECTORS, folder))).sort()).toEqual(top)
  for (const sub of top.filter((n) => names.some((m) => m.startsWith(n + '/')))) {
    const inSub = names.filter((m) => m.startsWith(sub + '/')).map((m) => m.slice(sub.length + 1)).sort()
    expect((await readdir(join(VECTORS, folder, sub))).sort(), `${folder}/${sub}`).toEqual(inSub)
  }
}

/** Ed25519 (RFC 8032) verification with node:crypto, from a JWK `x`. */
export function ed25519Verifies(x: string, data: Uint8Array | string, signature: Uint8Array): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' })
  return edVerify(null, typeof data === 'string' ? Buffer.from(data, 'ascii') : data, key, signature)
}

/** A compact JWS's signature checked with node:crypto (Ed25519 over the ASCII `header.payload`). */
export function jwsVerifies(x: string, jws: string): boolean {
  const [h, p, s] = jws.split('.')
  return ed25519Verifies(x, `${h}.${p}`, new Uint8Array(Buffer.from(s!, 'base64url')))
}

/** The verifier's status checker, its HTTP client answering the golden status list URIs from specs/vectors/status-list. */
export async function goldenStatusChecker(provider: CryptoProvider, now: number): Promise<{ checker: StatusChecker; fetched: string[] }> {
  const params = await committedJson<{ jwt: { uri: string }; cwt: { uri: string } }>('status-list/params.json')
  const jwt = (await committedText('status-list/statuslist.jwt')).trim()
  const cwt = await committed('status-list/statuslist.cwt')
  const fetched: string[] = []
  const fetch = async (input: string | URL | Request): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    fetched.push(url)
    if (url === params.jwt.uri) return new Response(jwt, { headers: { 'content-type': 'application/statuslist+jwt' } })
    if (url === params.cwt.uri) return new Response(new Uint8Array(cwt), { headers: { 'content-type': 'application/statuslist+cwt' } })
    return new Response('not found', { status: 404 })
  }
  return { checker: createStatusChecker({ http: createHttpClient({ fetch }), provider, now: () => now }), fetched }
}
