import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import type { StoredCredentialV1 } from './schema.js'
import { WalletDb, upgradeCredentialV1 } from './schema.js'

function v1Row(id: string, status?: unknown): StoredCredentialV1 {
  return {
    id,
    format: 'dc+sd-jwt',
    raw: 'eyJ.x.y~',
    issuer: 'https://issuer.example',
    credentialConfigurationId: 'mimi_identity_sd_jwt',
    keyId: 'k1',
    claims: { handle: '@alice' },
    disclosablePaths: [['handle']],
    ...(status === undefined ? {} : { status }),
    metadata: { vct: 'urn:e2eid:mimi-identity' },
    receivedAt: '2026-11-29T04:00:00.000Z',
  }
}

describe('wallet schema versions', () => {
  it('v1 data survives the upgrade to v2, converted by the upgrade function', async () => {
    const indexedDB = new IDBFactory()
    const v1 = new WalletDb('w', { indexedDB, IDBKeyRange, version: 1 })
    await v1.open()
    expect(v1.verno).toBe(1)
    await v1.table('credentials').bulkPut([v1Row('c1', { status_list: { idx: 7, uri: 'https://issuer.example/status/1' } }), v1Row('c2')])
    await v1.keys.put({ id: 'k1', alg: 'EdDSA', publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'AA' }, wrapped: { iv: new Uint8Array(12), ciphertext: new Uint8Array([1, 2]) }, createdAt: 1 })
    await v1.presentations.add({ credentialId: 'c1', format: 'dc+sd-jwt', aud: 'https://rp', disclosed: [['handle']], presentation: 'p', createdAt: 2 })
    v1.close()

    const v2 = new WalletDb('w', { indexedDB, IDBKeyRange })
    await v2.open()
    expect(v2.verno).toBe(2)
    const c1 = await v2.credentials.get('c1')
    expect(c1?.receivedAt).toBe(Date.parse('2026-11-29T04:00:00.000Z'))
    expect(c1?.statusListUri).toBe('https://issuer.example/status/1')
    expect(c1?.statusIdx).toBe(7)
    expect(c1 && 'status' in c1).toBe(false)
    expect(c1?.claims).toEqual({ handle: '@alice' })
    const c2 = await v2.credentials.get('c2')
    expect(c2?.statusListUri).toBeUndefined()
    // The new v2 index answers queries over upgraded rows.
    const onList = await v2.credentials.where('statusListUri').equals('https://issuer.example/status/1').toArray()
    expect(onList.map((c) => c.id)).toEqual(['c1'])
    // Other tables are untouched.
    expect((await v2.keys.get('k1'))?.wrapped.ciphertext).toEqual(new Uint8Array([1, 2]))
    expect(await v2.presentations.where('aud').equals('https://rp').count()).toBe(1)
    v2.close()
  })

  it('upgradeCredentialV1 ignores a malformed status claim', () => {
    const out = upgradeCredentialV1(v1Row('c', { status_list: { idx: -1, uri: 'x' } }))
    expect(out.statusIdx).toBeUndefined()
    expect(out.statusListUri).toBeUndefined()
  })
})
