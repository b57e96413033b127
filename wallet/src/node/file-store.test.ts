import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { base64urlDecode, createWebCryptoProvider, utf8Encode } from '@e2eid/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WALLET_FILE, WRAPPING_KEY_FILE, openFileWallet } from './file-store.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-wallet-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('CLI wallet folder (E2EID_WALLET_DIR)', () => {
  it('persists keys and credentials across opens; key file is 0600; no private key in wallet.json', async () => {
    const provider = createWebCryptoProvider()
    let d: string | undefined
    const spy = { ...provider, generateKeyPair: async (a: 'EdDSA' | 'ES256' | 'ES384') => { const kp = await provider.generateKeyPair(a); d = kp.privateJwk.d; return kp } }
    const a = await openFileWallet({ dir, handlers: [], provider: spy })
    const key = await a.wallet.keys.generate('EdDSA')
    await a.wallet.db.credentials.put({
      id: 'c1', format: 'dc+sd-jwt', raw: 'x~', issuer: 'https://i', credentialConfigurationId: 'cfg', keyId: key.id,
      claims: { handle: '@a' }, disclosablePaths: [['handle']], metadata: {}, receivedAt: 5,
    })
    await a.save()
    await a.close()

    expect((await stat(join(dir, WRAPPING_KEY_FILE))).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, WALLET_FILE))).mode & 0o777).toBe(0o600)
    const text = await readFile(join(dir, WALLET_FILE), 'utf8')
    expect(text).not.toContain(d!)
    // dexie-export-import writes binary as base64; the raw private scalar must not appear either.
    expect(text).not.toContain(Buffer.from(base64urlDecode(d!)).toString('base64').slice(0, 40))

    const b = await openFileWallet({ dir, handlers: [] })
    expect((await b.wallet.get('c1')).claims).toEqual({ handle: '@a' })
    const msg = utf8Encode('m')
    const sig = await b.wallet.keys.sign(key.id, msg)
    expect(await provider.verify('EdDSA', await b.wallet.keys.publicJwk(key.id), msg, sig)).toBe(true)
    await b.close()
  })

  it('keeps the trusted-issuer list (issue 14 item 2) and no other meta row across opens', async () => {
    const a = await openFileWallet({ dir, handlers: [] })
    await a.wallet.trustIssuer('https://issuer.example')
    await a.wallet.db.meta.put({ name: 'wrappingKey', value: 'must-not-be-saved' })
    await a.save()
    await a.close()
    expect(await readFile(join(dir, WALLET_FILE), 'utf8')).not.toContain('must-not-be-saved')
    const b = await openFileWallet({ dir, handlers: [] })
    expect(await b.wallet.trustedIssuers()).toEqual(['https://issuer.example'])
    expect(await b.wallet.db.meta.get('wrappingKey')).toBeUndefined()
    await b.close()
  })

  it('refuses a key file readable by others', async () => {
    const a = await openFileWallet({ dir, handlers: [] })
    await a.close()
    await chmod(join(dir, WRAPPING_KEY_FILE), 0o644)
    await expect(openFileWallet({ dir, handlers: [] })).rejects.toMatchObject({ code: 'ERR_WALLET_KEY_FILE_PERMISSIONS' })
  })

  it('a wallet.json written at schema v1 is upgraded to v2 on open', async () => {
    const a = await openFileWallet({ dir, handlers: [] })
    await a.close()
    const v1 = {
      formatName: 'dexie', formatVersion: 1,
      data: {
        databaseName: 'e2eid-wallet', databaseVersion: 1,
        tables: [{ name: 'credentials', schema: 'id,format,issuer,receivedAt', rowCount: 1 }],
        data: [{ tableName: 'credentials', inbound: true, rows: [{
          id: 'old', format: 'dc+sd-jwt', raw: 'x~', issuer: 'https://i', credentialConfigurationId: 'cfg', keyId: 'k',
          claims: {}, disclosablePaths: [], status: { status_list: { idx: 3, uri: 'https://i/status' } }, metadata: {},
          receivedAt: '2026-01-01T00:00:00.000Z',
        }] }],
      },
    }
    await writeFile(join(dir, WALLET_FILE), JSON.stringify(v1))
    const b = await openFileWallet({ dir, handlers: [] })
    const c = await b.wallet.get('old')
    expect(c.statusListUri).toBe('https://i/status')
    expect(c.statusIdx).toBe(3)
    expect(c.receivedAt).toBe(Date.parse('2026-01-01T00:00:00.000Z'))
    await b.close()
  })

  it('a corrupt wallet.json is refused with a code', async () => {
    await writeFile(join(dir, WALLET_FILE), '{"nope":1}')
    await expect(openFileWallet({ dir, handlers: [] })).rejects.toMatchObject({ code: 'ERR_WALLET_FILE_INVALID' })
  })
})

describe('folder lock', () => {
  it('a second open waits for the first to close; a stale lock of a dead process is taken over', async () => {
    const a = await openFileWallet({ dir, handlers: [] })
    let bOpened = false
    const bP = openFileWallet({ dir, handlers: [] }).then((b) => {
      bOpened = true
      return b
    })
    await new Promise((r) => setTimeout(r, 200))
    expect(bOpened).toBe(false)
    await a.close()
    const b = await bP
    await b.close()
    // A lock left by a process that no longer exists (pid far above pid_max) does not block.
    await writeFile(join(dir, 'wallet.lock'), '99999999')
    const c = await openFileWallet({ dir, handlers: [] })
    await c.close()
  })
})
