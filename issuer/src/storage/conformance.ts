/**
 * @module storage/conformance
 * The ONE storage conformance suite: `describeRepositoryConformance(target)` registers vitest
 * tests that every {@link IssuerRepository} backend must pass. Test-only (imports vitest);
 * not exported from the package index.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IssuerRepository, NewIssuance, OfferRecord, RepositoryOptions } from './repository.js'
import { getStatusValue } from './status-bits.js'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { checkAdminToken, setUpAdminToken } from '../admin/admin-token.js'

/** One empty database that several repository instances (connections) can open. */
interface ConformanceDatabase {
  open(options?: RepositoryOptions): Promise<IssuerRepository>
  /** Removes the database (after every instance was closed). */
  drop(): Promise<void>
}

/** A backend under test. */
export interface ConformanceTarget {
  name: string
  createDatabase(): Promise<ConformanceDatabase>
}

const T0 = 1_800_000_000

function offer(over: Partial<OfferRecord> = {}): OfferRecord {
  return {
    id: 'offer-1', userId: 'alice', credentialConfigurationIds: ['mimi_sd_cwt'], preAuthorizedCodeHash: 'code-hash-1',
    txCodeHash: null, txCodeFailures: 0, issuerState: null, createdAt: T0, expiresAt: T0 + 300, usedAt: null, ...over,
  }
}

function issuance(id: string, over: Partial<NewIssuance> = {}): NewIssuance {
  return {
    id, userId: 'alice', format: 'sd-cwt', credentialConfigurationId: 'mimi_sd_cwt', holderKeyThumbprint: 'jkt-' + id,
    listForm: 'cwt', issuedAt: T0, expiresAt: T0 + 86_400, ...over,
  }
}

/** Opens pool connections first so that a race is a real race, not staggered by connection setup. */
async function warm(...repos: IssuerRepository[]): Promise<void> {
  await Promise.all(repos.flatMap((r) => Array.from({ length: 4 }, () => r.getSetting('warm-up'))))
}

/** Registers the conformance tests for `target`. Each test gets a fresh database. */
export function describeRepositoryConformance(target: ConformanceTarget): void {
  describe(`IssuerRepository conformance: ${target.name}`, () => {
    let db: ConformanceDatabase
    const opened: IssuerRepository[] = []
    const open = async (options: RepositoryOptions = { statusListSize: 16 }): Promise<IssuerRepository> => {
      const r = await db.open(options)
      opened.push(r)
      return r
    }
    let repo: IssuerRepository

    beforeEach(async () => {
      db = await target.createDatabase()
      repo = await open()
      await repo.createUser({ id: 'alice', claims: { name: 'Alice', handle: '@alice:example.com', nested: { a: [1, 2] } }, passwordHash: 'scrypt$x', createdAt: T0 })
    })
    afterEach(async () => {
      for (const r of opened.splice(0)) await r.close()
      await db.drop()
    })

    describe('migrations', () => {
      it('migrate() is idempotent and two instances migrating one fresh database at once both succeed', async () => {
        await repo.migrate()
        await repo.migrate()
        const fresh = await target.createDatabase()
        try {
          const [a, b] = await Promise.all([fresh.open(), fresh.open()])
          await a.setSetting('k', 'v')
          expect(await b.getSetting('k')).toBe('v')
          await a.close()
          await b.close()
        } finally {
          await fresh.drop()
        }
      })
    })

    describe('settings and users', () => {
      it('stores, overwrites and reads settings; unknown key is null', async () => {
        expect(await repo.getSetting('issuer')).toBeNull()
        await repo.setSetting('issuer', 'https://a.example')
        await repo.setSetting('issuer', 'https://b.example')
        expect(await repo.getSetting('issuer')).toBe('https://b.example')
      })
      it('setSettingIfAbsent never overwrites: the first value stays and is what every caller gets back', async () => {
        expect(await repo.setSettingIfAbsent('offer_code_key', 'first')).toBe('first')
        expect(await repo.setSettingIfAbsent('offer_code_key', 'second')).toBe('first')
        expect(await repo.getSetting('offer_code_key')).toBe('first')
      })
      it('setSettingIfAbsent from many connections at once: exactly one value wins and all callers agree on it', async () => {
        const other = await open()
        await warm(repo, other)
        const results = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? repo : other).setSettingIfAbsent('shared_secret', `v${i}`)))
        const stored = await other.getSetting('shared_secret')
        expect(stored).not.toBeNull()
        expect(new Set(results)).toEqual(new Set([stored]))
      })
      it('round-trips users with nested claims, lists them in creation order, rejects a duplicate id', async () => {
        await repo.createUser({ id: 'bob', claims: { name: 'Bob' }, passwordHash: null, createdAt: T0 + 1 })
        expect(await repo.getUser('alice')).toEqual({ id: 'alice', claims: { name: 'Alice', handle: '@alice:example.com', nested: { a: [1, 2] } }, passwordHash: 'scrypt$x', createdAt: T0 })
        expect(await repo.getUser('nobody')).toBeNull()
        expect((await repo.listUsers()).map((u) => u.id)).toEqual(['alice', 'bob'])
        await expect(repo.createUser({ id: 'bob', claims: {}, passwordHash: null, createdAt: T0 })).rejects.toMatchObject({ code: 'ERR_STORAGE_CONFLICT' })
      })
    })

    describe('credential offers and the pre-authorized code grant (OpenID4VCI 1.0 §4.1.1, §6.1)', () => {
      it('fetchOfferOnce serves an offer once, within the reference life, never after use (issue 14 item 5)', async () => {
        await repo.createOffer(offer())
        await repo.createOffer(offer({ id: 'offer-2', preAuthorizedCodeHash: 'code-hash-2' }))
        await repo.createOffer(offer({ id: 'offer-3', preAuthorizedCodeHash: 'code-hash-3' }))
        const other = await open()
        await warm(repo, other)
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? repo : other).fetchOfferOnce('offer-1', T0 + 1, 60)))
        expect(results.filter((r) => r.ok)).toHaveLength(1)
        expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason))).toEqual(Array.from({ length: 7 }, () => 'fetched'))
        expect(await repo.fetchOfferOnce('offer-2', T0 + 60, 60)).toEqual({ ok: false, reason: 'expired' })
        expect(await repo.fetchOfferOnce('nope', T0, 60)).toEqual({ ok: false, reason: 'unknown' })
        expect((await repo.consumePreAuthorizedCode('code-hash-3', null, T0 + 1, 3)).ok).toBe(true)
        expect(await repo.fetchOfferOnce('offer-3', T0 + 2, 60)).toEqual({ ok: false, reason: 'used' })
      })
      it('round-trips an offer, finds it by issuer_state, refuses an offer for an unknown user', async () => {
        await repo.createOffer(offer({ issuerState: 'state-1', txCodeHash: 'tx-1' }))
        expect(await repo.getOffer('offer-1')).toEqual(offer({ issuerState: 'state-1', txCodeHash: 'tx-1' }))
        expect((await repo.getOfferByIssuerState('state-1'))?.id).toBe('offer-1')
        expect(await repo.getOfferByIssuerState('other')).toBeNull()
        expect(await repo.getOffer('nope')).toBeNull()
        await expect(repo.createOffer(offer({ id: 'o2', userId: 'ghost', preAuthorizedCodeHash: 'c2' }))).rejects.toMatchObject({ code: 'ERR_STORAGE_UNKNOWN_REFERENCE' })
      })
      it('a pre-authorized code is single use', async () => {
        await repo.createOffer(offer())
        expect(await repo.consumePreAuthorizedCode('unknown', null, T0, 5)).toEqual({ ok: false, reason: 'unknown' })
        const first = await repo.consumePreAuthorizedCode('code-hash-1', null, T0 + 1, 5)
        expect(first).toMatchObject({ ok: true, offer: { id: 'offer-1', userId: 'alice', usedAt: T0 + 1 } })
        expect(await repo.consumePreAuthorizedCode('code-hash-1', null, T0 + 2, 5)).toEqual({ ok: false, reason: 'used' })
        expect((await repo.getOffer('offer-1'))?.usedAt).toBe(T0 + 1)
      })
      it('an expired pre-authorized code is refused (live while now < expiresAt)', async () => {
        await repo.createOffer(offer())
        expect(await repo.consumePreAuthorizedCode('code-hash-1', null, T0 + 300, 5)).toEqual({ ok: false, reason: 'expired' })
        expect(await repo.consumePreAuthorizedCode('code-hash-1', null, T0 + 299, 5)).toMatchObject({ ok: true })
      })
      it('tx_code: required when the offer has one, wrong ones counted, locked after maxTxCodeFailures even with the right one', async () => {
        await repo.createOffer(offer({ txCodeHash: 'tx-right' }))
        expect(await repo.consumePreAuthorizedCode('code-hash-1', null, T0, 3)).toEqual({ ok: false, reason: 'tx_code_required' })
        expect((await repo.getOffer('offer-1'))?.txCodeFailures).toBe(0)
        for (let i = 1; i <= 3; i++) {
          expect(await repo.consumePreAuthorizedCode('code-hash-1', 'tx-wrong', T0, 3)).toEqual({ ok: false, reason: 'tx_code_invalid', triesLeft: 3 - i })
          expect((await repo.getOffer('offer-1'))?.txCodeFailures).toBe(i)
        }
        expect(await repo.consumePreAuthorizedCode('code-hash-1', 'tx-right', T0, 3)).toEqual({ ok: false, reason: 'locked' })
        expect((await repo.getOffer('offer-1'))?.usedAt).toBeNull()
      })
      it('§6.1/§6.3: a tx_code for an offer that requires none is refused, and the code stays usable without it', async () => {
        await repo.createOffer(offer())
        expect(await repo.consumePreAuthorizedCode('code-hash-1', 'tx-any', T0, 3)).toEqual({ ok: false, reason: 'tx_code_unexpected' })
        expect(await repo.getOffer('offer-1')).toMatchObject({ usedAt: null, txCodeFailures: 0 })
        expect(await repo.consumePreAuthorizedCode('code-hash-1', null, T0, 3)).toMatchObject({ ok: true })
      })
      it('tx_code: the right code after a wrong one succeeds', async () => {
        await repo.createOffer(offer({ txCodeHash: 'tx-right' }))
        expect(await repo.consumePreAuthorizedCode('code-hash-1', 'tx-wrong', T0, 3)).toMatchObject({ reason: 'tx_code_invalid' })
        expect(await repo.consumePreAuthorizedCode('code-hash-1', 'tx-right', T0, 3)).toMatchObject({ ok: true, offer: { txCodeFailures: 1 } })
      })
      it('concurrent exchanges of one code through two instances: exactly one succeeds', async () => {
        const other = await open()
        await repo.createOffer(offer())
        await warm(repo, other)
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? repo : other).consumePreAuthorizedCode('code-hash-1', null, T0, 5)))
        expect(results.filter((r) => r.ok)).toHaveLength(1)
        expect(results.filter((r) => !r.ok && r.reason === 'used')).toHaveLength(9)
      })
      it('concurrent wrong tx_codes through two instances are all counted', async () => {
        const other = await open()
        await repo.createOffer(offer({ txCodeHash: 'tx-right' }))
        await warm(repo, other)
        await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? repo : other).consumePreAuthorizedCode('code-hash-1', 'bad', T0, 100)))
        expect((await repo.getOffer('offer-1'))?.txCodeFailures).toBe(6)
      })
    })

    describe('PAR (RFC 9126) and authorization codes (RFC 6749 §4.1.2: single use)', () => {
      const par = { requestUriHash: 'par-1', clientId: 'wallet', params: { redirect_uri: 'https://w.example/cb', code_challenge: 'x' }, createdAt: T0, expiresAt: T0 + 60 }
      it('a request_uri is taken once', async () => {
        await repo.savePushedAuthorizationRequest(par)
        expect(await repo.takePushedAuthorizationRequest('par-1', T0 + 1)).toEqual(par)
        expect(await repo.takePushedAuthorizationRequest('par-1', T0 + 1)).toBeNull()
        expect(await repo.takePushedAuthorizationRequest('unknown', T0)).toBeNull()
      })
      it('an expired request_uri is refused', async () => {
        await repo.savePushedAuthorizationRequest(par)
        expect(await repo.takePushedAuthorizationRequest('par-1', T0 + 60)).toBeNull()
      })
      const code = {
        codeHash: 'ac-1', userId: 'alice', clientId: 'wallet', redirectUri: 'https://w.example/cb', codeChallenge: 'chal',
        credentialConfigurationIds: ['a', 'b'], dpopJkt: 'jkt', createdAt: T0, expiresAt: T0 + 60,
      }
      it('an authorization code is consumed once, also when two instances race', async () => {
        const other = await open()
        await repo.saveAuthorizationCode(code)
        await warm(repo, other)
        const results = await Promise.all([repo.consumeAuthorizationCode('ac-1', T0), other.consumeAuthorizationCode('ac-1', T0), repo.consumeAuthorizationCode('ac-1', T0)])
        expect(results.filter((r) => r !== null)).toEqual([code])
        expect(await repo.consumeAuthorizationCode('ac-1', T0)).toBeNull()
      })
      it('an expired authorization code is refused', async () => {
        await repo.saveAuthorizationCode(code)
        expect(await repo.consumeAuthorizationCode('ac-1', T0 + 60)).toBeNull()
      })
    })

    describe('access tokens, c_nonce (OpenID4VCI 1.0 §7) and DPoP jti (RFC 9449 §11.1)', () => {
      const token = { tokenHash: 'at-1', userId: 'alice', clientId: null, credentialConfigurationIds: ['a'], dpopJkt: null, createdAt: T0, expiresAt: T0 + 600 }
      it('an access token is returned until it expires', async () => {
        await repo.saveAccessToken(token)
        expect(await repo.getAccessToken('at-1', T0 + 599)).toEqual(token)
        expect(await repo.getAccessToken('at-1', T0 + 600)).toBeNull()
        expect(await repo.getAccessToken('at-2', T0)).toBeNull()
      })
      it('countCredentialsIssued caps the credentials of one access token, atomically across connections (issue 14 item 5)', async () => {
        await repo.saveAccessToken(token)
        const other = await open()
        await warm(repo, other)
        const granted = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? repo : other).countCredentialsIssued('at-1', 1, 5, T0)))
        expect(granted.filter(Boolean)).toHaveLength(5)
        expect(await repo.countCredentialsIssued('at-1', 1, 6, T0)).toBe(true)
        expect(await repo.countCredentialsIssued('at-1', 2, 7, T0)).toBe(false)
        expect(await repo.countCredentialsIssued('at-unknown', 1, 5, T0)).toBe(false)
        await repo.saveAccessToken({ ...token, tokenHash: 'at-2' })
        expect(await repo.countCredentialsIssued('at-2', 1, 5, T0 + 600)).toBe(false)
      })
      it('a c_nonce bound to a token works only with that token, once', async () => {
        await repo.saveNonce('n-1', 'at-1', T0 + 60)
        expect(await repo.consumeNonce('n-1', 'at-other', T0)).toBe(false)
        expect(await repo.consumeNonce('n-1', 'at-1', T0)).toBe(true)
        expect(await repo.consumeNonce('n-1', 'at-1', T0)).toBe(false)
      })
      it('an unbound c_nonce (nonce endpoint) is consumed once by any token; an expired one never', async () => {
        await repo.saveNonce('n-2', null, T0 + 60)
        await repo.saveNonce('n-3', null, T0 + 60)
        expect(await repo.consumeNonce('n-2', 'at-9', T0)).toBe(true)
        expect(await repo.consumeNonce('n-2', 'at-1', T0)).toBe(false)
        expect(await repo.consumeNonce('n-3', 'at-1', T0 + 60)).toBe(false)
        expect(await repo.consumeNonce('unknown', 'at-1', T0)).toBe(false)
        // boundOnly (require_bound_nonce): an unbound nonce is refused and stays; a bound one still works.
        await repo.saveNonce('n-5', null, T0 + 60)
        await repo.saveNonce('n-6', 'at-1', T0 + 60)
        expect(await repo.consumeNonce('n-5', 'at-1', T0, true)).toBe(false)
        expect(await repo.consumeNonce('n-6', 'at-1', T0, true)).toBe(true)
        expect(await repo.consumeNonce('n-5', 'at-1', T0)).toBe(true)
      })
      it('concurrent use of one c_nonce through two instances: exactly one succeeds', async () => {
        const other = await open()
        await repo.saveNonce('n-4', 'at-1', T0 + 60)
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? repo : other).consumeNonce('n-4', 'at-1', T0)))
        expect(results.filter(Boolean)).toHaveLength(1)
      })
      it('a DPoP proof jti is accepted once, also across instances (replay)', async () => {
        const other = await open()
        expect(await repo.recordDpopJti('jti-1', T0 + 60)).toBe(true)
        expect(await repo.recordDpopJti('jti-1', T0 + 60)).toBe(false)
        expect(await other.recordDpopJti('jti-1', T0 + 60)).toBe(false)
        const race = await Promise.all([repo.recordDpopJti('jti-2', T0), other.recordDpopJti('jti-2', T0)])
        expect(race.filter(Boolean)).toHaveLength(1)
      })
      it('purgeExpired removes expired rows and keeps live ones', async () => {
        await repo.saveAccessToken(token)
        await repo.saveAccessToken({ ...token, tokenHash: 'at-old', expiresAt: T0 + 10 })
        await repo.saveNonce('n-old', null, T0 + 10)
        await repo.saveNonce('n-live', null, T0 + 100)
        await repo.recordDpopJti('jti-old', T0 + 10)
        await repo.savePushedAuthorizationRequest({ requestUriHash: 'p-old', clientId: 'c', params: {}, createdAt: T0, expiresAt: T0 + 10 })
        expect(await repo.purgeExpired(T0 + 10)).toBe(4)
        expect(await repo.recordDpopJti('jti-old', T0 + 20)).toBe(true)
        expect(await repo.consumeNonce('n-live', 'x', T0 + 10)).toBe(true)
        expect(await repo.getAccessToken('at-1', T0 + 10)).not.toBeNull()
      })
    })

    describe('abuse limits shared by every instance (issue 14: login brute force, rate limits)', () => {
      const policy = { freeAttempts: 3, baseLockSeconds: 10, maxLockSeconds: 40, forgetAfterSeconds: 1000 }
      it('login attempts count per account; the lockout doubles up to its cap; a success clears the count', async () => {
        const other = await open()
        expect(await repo.registerLoginAttempt('acct', T0, policy)).toEqual({ allowed: true, failures: 1 })
        expect(await other.registerLoginAttempt('acct', T0, policy)).toEqual({ allowed: true, failures: 2 })
        expect(await repo.registerLoginAttempt('acct-b', T0, policy)).toEqual({ allowed: true, failures: 1 })
        expect(await repo.registerLoginAttempt('acct', T0, policy)).toEqual({ allowed: true, failures: 3 })
        // The third attempt locked the account for 10 s, in every instance.
        expect(await other.registerLoginAttempt('acct', T0 + 1, policy)).toEqual({ allowed: false, retryAfter: 9 })
        expect(await repo.registerLoginAttempt('acct', T0 + 10, policy)).toEqual({ allowed: true, failures: 4 })
        expect(await repo.registerLoginAttempt('acct', T0 + 11, policy)).toEqual({ allowed: false, retryAfter: 19 })
        expect(await repo.registerLoginAttempt('acct', T0 + 30, policy)).toEqual({ allowed: true, failures: 5 })
        expect(await repo.registerLoginAttempt('acct', T0 + 31, policy)).toEqual({ allowed: false, retryAfter: 39 })
        expect(await repo.registerLoginAttempt('acct', T0 + 70, policy)).toEqual({ allowed: true, failures: 6 })
        expect(await repo.registerLoginAttempt('acct', T0 + 71, policy)).toEqual({ allowed: false, retryAfter: 39 }) // capped at 40 s
        await other.clearLoginFailures('acct')
        expect(await repo.registerLoginAttempt('acct', T0 + 72, policy)).toEqual({ allowed: true, failures: 1 })
      })
      it('concurrent login attempts through two instances are all counted', async () => {
        const other = await open()
        await warm(repo, other)
        const many = { ...policy, freeAttempts: 100 }
        await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? repo : other).registerLoginAttempt('acct', T0, many)))
        expect(await repo.registerLoginAttempt('acct', T0, many)).toEqual({ allowed: true, failures: 11 })
      })
      it('the failure count is forgotten after forgetAfterSeconds and purged', async () => {
        await repo.registerLoginAttempt('acct', T0, policy)
        await repo.registerLoginAttempt('acct', T0, policy)
        expect(await repo.registerLoginAttempt('acct', T0 + 1001, policy)).toEqual({ allowed: true, failures: 1 })
        await repo.rateCounter('k', 60, T0, true)
        expect(await repo.purgeExpired(T0 + 2002)).toBe(2)
      })
      it('rate counters count hits per fixed window across instances; a peek does not count', async () => {
        const other = await open()
        await warm(repo, other)
        const start = Math.floor(T0 / 60) * 60
        expect(await repo.rateCounter('admin:1.2.3.4', 60, start, false)).toBe(0)
        const hits = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? repo : other).rateCounter('admin:1.2.3.4', 60, start + 1, true)))
        expect([...hits].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        expect(await other.rateCounter('admin:1.2.3.4', 60, start + 59, false)).toBe(10)
        expect(await repo.rateCounter('admin:5.6.7.8', 60, start + 2, false)).toBe(0)
        // The next window starts from one.
        expect(await repo.rateCounter('admin:1.2.3.4', 60, start + 60, false)).toBe(0)
        expect(await repo.rateCounter('admin:1.2.3.4', 60, start + 60, true)).toBe(1)
      })
      it('setUserPasswordHash replaces the hash of a known user only', async () => {
        expect(await repo.setUserPasswordHash('alice', 'scrypt$new')).toBe(true)
        expect((await repo.getUser('alice'))?.passwordHash).toBe('scrypt$new')
        expect(await repo.setUserPasswordHash('nobody', 'scrypt$new')).toBe(false)
      })
    })

    describe('issuance and status index allocation (draft-ietf-oauth-status-list §12.5 herd privacy, §13 no double allocation)', () => {
      it('records a VALID credential in a new list of the configured size and bits', async () => {
        const c = await repo.recordIssuance(issuance('c1'))
        expect(c).toMatchObject({ id: 'c1', userId: 'alice', format: 'sd-cwt', status: 0, statusListId: '1' })
        expect(c.statusIdx).toBeGreaterThanOrEqual(0)
        expect(c.statusIdx).toBeLessThan(16)
        expect(await repo.getCredential('c1')).toEqual(c)
        expect(await repo.getCredential('nope')).toBeNull()
        const list = await repo.getStatusList('1')
        expect(list).toMatchObject({ id: '1', form: 'cwt', bits: 2, size: 16, allocated: 1, version: 1 })
        expect(list?.data).toBeInstanceOf(Uint8Array)
        expect(list?.data).toEqual(new Uint8Array(4))
        expect(await repo.getStatusList('99')).toBeNull()
        const { data: _data, ...meta } = list!
        expect(await repo.getStatusListMeta('1')).toEqual(meta)
        expect(await repo.getStatusListMeta('99')).toBeNull()
      })
      it('the index is the randomInt-th unused one: randomInt = 0 ascends, randomInt = n-1 descends', async () => {
        const up: number[] = []
        for (let i = 0; i < 4; i++) up.push((await repo.recordIssuance(issuance(`u${i}`, { randomInt: () => 0 }))).statusIdx)
        expect(up).toEqual([0, 1, 2, 3])
        const down: number[] = []
        for (let i = 0; i < 4; i++) down.push((await repo.recordIssuance(issuance(`d${i}`, { randomInt: (n) => n - 1 }))).statusIdx)
        expect(down).toEqual([15, 14, 13, 12])
        const seenBounds: number[] = []
        await repo.recordIssuance(issuance('m', { randomInt: (n) => (seenBounds.push(n), 3) }))
        expect(seenBounds).toEqual([8])
        expect((await repo.getCredential('m'))?.statusIdx).toBe(7)
      })
      it('allocating a whole list gives every index once, then opens a new list; forms get separate lists', async () => {
        const first = []
        for (let i = 0; i < 16; i++) first.push(await repo.recordIssuance(issuance(`c${i}`)))
        expect(new Set(first.map((c) => c.statusListId))).toEqual(new Set(['1']))
        expect(first.map((c) => c.statusIdx).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i))
        expect((await repo.recordIssuance(issuance('c16'))).statusListId).toBe('2')
        const jwt = await repo.recordIssuance(issuance('j1', { format: 'dc+sd-jwt', listForm: 'jwt' }))
        expect(jwt.statusListId).toBe('3')
        expect((await repo.listStatusLists()).map((l) => [l.id, l.form, l.allocated])).toEqual([['1', 'cwt', 16], ['2', 'cwt', 1], ['3', 'jwt', 1]])
        expect(await repo.checkIntegrity()).toEqual({ credentials: 18, statusLists: 3, problems: [] })
      })
      it('lists larger than one allocation page: every index once across pages, integrity clean', async () => {
        const size = 2 * 4096 + 16
        const big = await open({ statusListSize: size })
        const idx = new Set<number>()
        // Ends of the list and its pages first (randomInt picks the r-th unused index), then random ones.
        for (const [i, r] of [0, 4095, 4096, 8191, 8192, 8207, 8206].entries()) {
          idx.add((await big.recordIssuance(issuance(`e${i}`, { randomInt: (n) => Math.min(r, n - 1) }))).statusIdx)
        }
        expect([...idx]).toEqual([0, 4096, 4098, 8194, 8196, size - 1, size - 2])
        for (let i = 0; i < 200; i++) idx.add((await big.recordIssuance(issuance(`b${i}`))).statusIdx)
        expect(idx.size).toBe(207)
        expect(Math.max(...idx)).toBeLessThan(size)
        expect((await big.listStatusLists()).map((l) => [l.size, l.allocated])).toEqual([[size, 207]])
        expect(await big.checkIntegrity()).toEqual({ credentials: 207, statusLists: 1, problems: [] })
      })
      it('the largest list (2^24 entries) issues like a small one', async () => {
        const big = await open({ statusListSize: 2 ** 24, statusListBits: 1 })
        const c = await big.recordIssuance(issuance('huge', { randomInt: (n) => n - 1 }))
        expect(c.statusIdx).toBe(2 ** 24 - 1)
        expect((await big.recordIssuance(issuance('huge2'))).statusListId).toBe(c.statusListId)
        expect((await big.getStatusListMeta(c.statusListId))?.allocated).toBe(2)
      })
      it('the default random allocation is not sequential (herd privacy)', async () => {
        const big = await open({ statusListSize: 1024 })
        const idx: number[] = []
        for (let i = 0; i < 8; i++) idx.push((await big.recordIssuance(issuance(`r${i}`))).statusIdx)
        expect(idx).not.toEqual(Array.from({ length: 8 }, (_, i) => idx[0]! + i))
        expect(new Set(idx).size).toBe(8)
      })
      it('a failed issuance (duplicate id, unknown user) allocates nothing', async () => {
        await repo.recordIssuance(issuance('c1'))
        await expect(repo.recordIssuance(issuance('c1'))).rejects.toMatchObject({ code: 'ERR_STORAGE_CONFLICT' })
        await expect(repo.recordIssuance(issuance('c2', { userId: 'ghost' }))).rejects.toMatchObject({ code: 'ERR_STORAGE_UNKNOWN_REFERENCE' })
        expect((await repo.listStatusLists())[0]?.allocated).toBe(1)
        expect((await repo.checkIntegrity()).problems).toEqual([])
      })
      it('concurrent issuance through two instances (two connections) never repeats an index', async () => {
        const a = await open({ statusListSize: 32 })
        const b = await open({ statusListSize: 32 })
        await warm(a, b)
        const all = await Promise.all(Array.from({ length: 48 }, (_, i) => (i % 2 ? a : b).recordIssuance(issuance(`p${i}`))))
        const keys = all.map((c) => `${c.statusListId}:${c.statusIdx}`)
        expect(new Set(keys).size).toBe(48)
        expect((await repo.listStatusLists()).map((l) => l.allocated)).toEqual([32, 16])
        expect(await repo.checkIntegrity()).toEqual({ credentials: 48, statusLists: 2, problems: [] })
      })
      it('concurrent issuance of both forms creating their first lists gets distinct list ids', async () => {
        const other = await open()
        await warm(repo, other)
        const all = await Promise.all(Array.from({ length: 27 }, (_, i) => (i % 2 ? repo : other).recordIssuance(issuance(`f${i}`, i % 3 ? {} : { listForm: 'jwt', format: 'dc+sd-jwt' }))))
        const lists = await repo.listStatusLists()
        expect(lists.map((l) => l.id).sort()).toEqual(['1', '2', '3'])
        expect(new Set(all.map((c) => `${c.statusListId}:${c.statusIdx}`)).size).toBe(27)
        for (const l of lists) expect(all.filter((c) => c.statusListId === l.id).every((c) => (c.format === 'sd-cwt') === (l.form === 'cwt'))).toBe(true)
        expect((await repo.checkIntegrity()).problems).toEqual([])
      })
      it('listCredentials returns only the user’s credentials', async () => {
        await repo.createUser({ id: 'bob', claims: {}, passwordHash: null, createdAt: T0 })
        await repo.recordIssuance(issuance('a1'))
        await repo.recordIssuance(issuance('b1', { userId: 'bob' }))
        await repo.recordIssuance(issuance('a2', { issuedAt: T0 + 5 }))
        expect((await repo.listCredentials('alice')).map((c) => c.id)).toEqual(['a1', 'a2'])
        expect((await repo.listCredentials('bob')).map((c) => c.id)).toEqual(['b1'])
        expect(await repo.listCredentials('nobody')).toEqual([])
      })
    })

    describe('status changes (draft-ietf-oauth-status-list §7: VALID 0, INVALID 1, SUSPENDED 2)', () => {
      it('revoke, suspend and reinstate update the record and exactly its bits, bumping the version', async () => {
        const c = await repo.recordIssuance(issuance('c1', { randomInt: () => 5 }))
        const neighbour = await repo.recordIssuance(issuance('c2', { randomInt: () => 5 }))
        expect([c.statusIdx, neighbour.statusIdx]).toEqual([5, 6])
        expect(await repo.setCredentialStatus('c1', 1, T0 + 10)).toMatchObject({ id: 'c1', status: 1 })
        let list = await repo.getStatusList('1')
        expect(list).toMatchObject({ version: 2, updatedAt: T0 + 10 })
        expect(await repo.getStatusListMeta('1')).toMatchObject({ version: 2, updatedAt: T0 + 10 })
        expect(getStatusValue(list!.data, 2, 5)).toBe(1)
        expect(getStatusValue(list!.data, 2, 6)).toBe(0)
        expect(list!.data).toEqual(new Uint8Array([0, 0b0100, 0, 0]))
        await repo.setCredentialStatus('c2', 2, T0 + 11)
        await repo.setCredentialStatus('c1', 0, T0 + 12)
        list = await repo.getStatusList('1')
        expect(list!.data).toEqual(new Uint8Array([0, 0b10_0000, 0, 0]))
        expect(list!.version).toBe(4)
        expect((await repo.getCredential('c1'))?.status).toBe(0)
        expect((await repo.getCredential('c2'))?.status).toBe(2)
      })
      it('setting the current status again changes nothing (no version bump)', async () => {
        await repo.recordIssuance(issuance('c1'))
        await repo.setCredentialStatus('c1', 0, T0 + 5)
        expect((await repo.getStatusList('1'))?.version).toBe(1)
      })
      it('refuses an unknown credential and a status that does not fit the list bits', async () => {
        await repo.recordIssuance(issuance('c1'))
        await expect(repo.setCredentialStatus('nope', 1, T0)).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' })
        await expect(repo.setCredentialStatus('c1', 4, T0)).rejects.toMatchObject({ code: 'ERR_STORAGE_STATUS_OUT_OF_RANGE' })
        await expect(repo.setCredentialStatus('c1', -1, T0)).rejects.toMatchObject({ code: 'ERR_STORAGE_STATUS_OUT_OF_RANGE' })
        const oneBit = await open({ statusListSize: 16, statusListBits: 1 })
        await oneBit.recordIssuance(issuance('j1', { listForm: 'jwt' }))
        await expect(oneBit.setCredentialStatus('j1', 2, T0)).rejects.toMatchObject({ code: 'ERR_STORAGE_STATUS_OUT_OF_RANGE' })
        expect((await repo.getCredential('c1'))?.status).toBe(0)
      })
      it('concurrent revocations of neighbours in one list through two instances lose no update', async () => {
        const other = await open()
        for (let i = 0; i < 16; i++) await repo.recordIssuance(issuance(`c${i}`))
        await warm(repo, other)
        await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? repo : other).setCredentialStatus(`c${i}`, i % 3 === 0 ? 2 : 1, T0 + 1)))
        const list = await repo.getStatusList('1')
        expect(list?.version).toBe(17)
        for (let i = 0; i < 16; i++) {
          const c = await repo.getCredential(`c${i}`)
          expect(getStatusValue(list!.data, 2, c!.statusIdx)).toBe(i % 3 === 0 ? 2 : 1)
        }
        expect((await repo.checkIntegrity()).problems).toEqual([])
      })
    })

    describe('notifications (OpenID4VCI 1.0 §11)', () => {
      it('records an event for a known notification_id and refuses an unknown one', async () => {
        await repo.recordIssuance(issuance('c1'))
        await repo.saveNotification({ notificationId: 'nid', credentialId: 'c1', event: null, description: null, receivedAt: null })
        expect(await repo.recordNotificationEvent('nid', 'credential_accepted', null, T0 + 3)).toBe(true)
        expect(await repo.recordNotificationEvent('other', 'credential_deleted', 'x', T0)).toBe(false)
        expect(await repo.getNotification('nid')).toEqual({ notificationId: 'nid', credentialId: 'c1', event: 'credential_accepted', description: null, receivedAt: T0 + 3 })
        expect(await repo.getNotification('other')).toBeNull()
        await expect(repo.saveNotification({ notificationId: 'n2', credentialId: 'ghost', event: null, description: null, receivedAt: null })).rejects.toMatchObject({ code: 'ERR_STORAGE_UNKNOWN_REFERENCE' })
      })
    })

    describe('signing keys', () => {
      it('saves, lists and retires keys once', async () => {
        const k1 = { kid: 'k1', alg: 'ES256', privateJwk: '{"d":"x"}', publicJwk: '{"x":"y"}', createdAt: T0, retiredAt: null }
        await repo.saveSigningKey(k1)
        await repo.saveSigningKey({ ...k1, kid: 'k2', alg: 'EdDSA', createdAt: T0 + 1 })
        await expect(repo.saveSigningKey(k1)).rejects.toMatchObject({ code: 'ERR_STORAGE_CONFLICT' })
        expect(await repo.retireSigningKey('k1', T0 + 5)).toBe(true)
        expect(await repo.retireSigningKey('k1', T0 + 6)).toBe(false)
        expect(await repo.retireSigningKey('nope', T0)).toBe(false)
        expect(await repo.listSigningKeys()).toEqual([{ ...k1, retiredAt: T0 + 5 }, { ...k1, kid: 'k2', alg: 'EdDSA', createdAt: T0 + 1 }])
      })
    })

    describe('user administration (issue 15)', () => {
      it('listUsersPage pages by id; updateUser changes only what it is given', async () => {
        for (const id of ['carol', 'bob', 'dave']) await repo.createUser({ id, claims: { n: id }, passwordHash: null, createdAt: T0 })
        expect((await repo.listUsersPage(null, 2)).map((u) => u.id)).toEqual(['alice', 'bob'])
        expect((await repo.listUsersPage('bob', 2)).map((u) => u.id)).toEqual(['carol', 'dave'])
        expect(await repo.listUsersPage('dave', 2)).toEqual([])
        expect(await repo.updateUser('alice', { claims: { name: 'Alice B.' } })).toBe(true)
        expect(await repo.getUser('alice')).toMatchObject({ claims: { name: 'Alice B.' }, passwordHash: 'scrypt$x' })
        expect(await repo.updateUser('alice', { passwordHash: null })).toBe(true)
        expect(await repo.getUser('alice')).toMatchObject({ claims: { name: 'Alice B.' }, passwordHash: null })
        expect(await repo.updateUser('nobody', { claims: {} })).toBe(false)
        expect(await repo.getUser('nobody')).toBeNull()
      })
      it('removeUser refuses while a credential is valid or suspended (not revoked, not expired), and removes nothing', async () => {
        await repo.recordIssuance(issuance('c1'))
        await repo.recordIssuance(issuance('c2'))
        await repo.recordIssuance(issuance('old', { expiresAt: T0 + 10 }))
        await repo.setCredentialStatus('c2', 2, T0 + 1)
        expect(await repo.removeUser('alice', T0 + 100)).toEqual({ ok: false, reason: 'valid_credentials', credentialIds: ['c1', 'c2'] })
        expect(await repo.getUser('alice')).not.toBeNull()
        expect(await repo.getCredential('c1')).not.toBeNull()
        expect(await repo.removeUser('nobody', T0)).toEqual({ ok: false, reason: 'unknown' })
      })
      it('removeUser after revocation: the records go, the revoked entries stay revoked and allocated, never handed out again', async () => {
        const c1 = await repo.recordIssuance(issuance('c1'))
        const c2 = await repo.recordIssuance(issuance('c2'))
        await repo.setCredentialStatus('c1', 1, T0 + 1)
        await repo.setCredentialStatus('c2', 1, T0 + 1)
        await repo.saveNotification({ notificationId: 'nt-1', credentialId: 'c1', event: null, description: null, receivedAt: null })
        await repo.createOffer(offer())
        await repo.saveAccessToken({ tokenHash: 'at-1', userId: 'alice', clientId: null, credentialConfigurationIds: ['mimi_sd_cwt'], dpopJkt: null, createdAt: T0, expiresAt: T0 + 600 })
        await repo.saveNonce('n-1', 'at-1', T0 + 60)
        const before = await repo.getStatusList(c1.statusListId)
        expect(await repo.removeUser('alice', T0 + 2)).toEqual({ ok: true, credentials: 2 })
        expect(await repo.getUser('alice')).toBeNull()
        expect(await repo.getCredential('c1')).toBeNull()
        expect(await repo.getOffer('offer-1')).toBeNull()
        expect(await repo.getAccessToken('at-1', T0)).toBeNull()
        expect(await repo.consumeNonce('n-1', 'at-1', T0)).toBe(false)
        expect(await repo.getNotification('nt-1')).toBeNull()
        const after = await repo.getStatusList(c1.statusListId)
        expect(getStatusValue(after!.data, 2, c1.statusIdx)).toBe(1)
        expect(getStatusValue(after!.data, 2, c2.statusIdx)).toBe(1)
        expect(after!.allocated).toBe(before!.allocated)
        expect(await repo.checkIntegrity()).toMatchObject({ problems: [] })
        // The id can be used again; the 14 remaining indices of the 16-entry list go to new credentials, the two
        // retired ones never do.
        await repo.createUser({ id: 'alice', claims: { name: 'Alice 2' }, passwordHash: null, createdAt: T0 + 3 })
        const more = []
        for (let i = 0; i < 15; i++) more.push(await repo.recordIssuance(issuance(`m${i}`)))
        const inFirst = more.filter((m) => m.statusListId === c1.statusListId).map((m) => m.statusIdx)
        expect(inFirst).toHaveLength(14)
        expect(inFirst).not.toContain(c1.statusIdx)
        expect(inFirst).not.toContain(c2.statusIdx)
        expect(await repo.checkIntegrity()).toMatchObject({ problems: [] })
      })
      it('removeUser takes expired unrevoked credentials with it (nothing left to revoke)', async () => {
        await repo.recordIssuance(issuance('old', { expiresAt: T0 + 10 }))
        expect(await repo.removeUser('alice', T0 + 10)).toEqual({ ok: true, credentials: 1 })
        expect(await repo.checkIntegrity()).toMatchObject({ problems: [] })
      })
    })

    describe('admin tokens: several instances on one database (issue 15)', () => {
      it("a second instance adds its token; the first one's token file keeps working, also after restarts", async () => {
        const crypto = createNodeCryptoProvider()
        const dir = await mkdtemp(join(tmpdir(), 'e2eid-admin-token-'))
        try {
          const fileA = join(dir, 'a-admin-token')
          const fileB = join(dir, 'b-admin-token')
          const instanceA = await open()
          const instanceB = await open()
          expect(await setUpAdminToken(instanceA, crypto, fileA, undefined)).toBe(fileA)
          const a = (await readFile(fileA, 'utf8')).trim()
          expect(await setUpAdminToken(instanceB, crypto, fileB, undefined)).toBe(fileB)
          const b = (await readFile(fileB, 'utf8')).trim()
          expect(a).not.toBe(b)
          for (const r of [instanceA, instanceB]) {
            expect(await checkAdminToken(r, crypto, a)).toBe(true)
            expect(await checkAdminToken(r, crypto, b)).toBe(true)
            expect(await checkAdminToken(r, crypto, a + 'x')).toBe(false)
            expect(await checkAdminToken(r, crypto, '')).toBe(false)
          }
          // A restarted instance reuses its token file.
          const againA = await open()
          await setUpAdminToken(againA, crypto, fileA, undefined)
          expect((await readFile(fileA, 'utf8')).trim()).toBe(a)
          expect(await checkAdminToken(instanceB, crypto, a)).toBe(true)
          // A chosen token (E2EID_ADMIN_TOKEN) is one per database: a new one replaces the previous chosen one, never
          // the instances' generated ones.
          const x = 'x'.repeat(43)
          const y = 'y'.repeat(43)
          expect(await setUpAdminToken(instanceB, crypto, fileB, x)).toBeNull()
          expect(await checkAdminToken(instanceA, crypto, x)).toBe(true)
          await setUpAdminToken(instanceA, crypto, fileA, y)
          expect(await checkAdminToken(instanceB, crypto, x)).toBe(false)
          expect(await checkAdminToken(instanceB, crypto, y)).toBe(true)
          expect(await checkAdminToken(instanceB, crypto, a)).toBe(true)
          expect(await checkAdminToken(instanceA, crypto, b)).toBe(true)
          // A token file another database never saw is replaced by a new token for this database.
          const fresh = await target.createDatabase()
          try {
            const other = await fresh.open()
            await setUpAdminToken(other, crypto, fileA, undefined)
            const c = (await readFile(fileA, 'utf8')).trim()
            expect(c).not.toBe(a)
            expect(await checkAdminToken(other, crypto, c)).toBe(true)
            expect(await checkAdminToken(other, crypto, a)).toBe(false)
            await other.close()
          } finally {
            await fresh.drop()
          }
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      })
    })

    describe('durability: a restart loses nothing', () => {
      it('keys, settings, users, credentials and revocations survive close and reopen', async () => {
        await repo.setSetting('admin_token_hash', 'h')
        await repo.saveSigningKey({ kid: 'k1', alg: 'ES256', privateJwk: 'p', publicJwk: 'q', createdAt: T0, retiredAt: null })
        const c = await repo.recordIssuance(issuance('c1'))
        await repo.recordIssuance(issuance('c2'))
        await repo.setCredentialStatus('c1', 1, T0 + 1)
        await repo.recordDpopJti('jti', T0 + 60)
        await repo.close()
        opened.splice(opened.indexOf(repo), 1)
        const again = await open()
        expect(await again.getSetting('admin_token_hash')).toBe('h')
        expect((await again.listSigningKeys()).map((k) => k.kid)).toEqual(['k1'])
        expect((await again.getUser('alice'))?.claims).toMatchObject({ name: 'Alice' })
        expect(await again.getCredential('c1')).toEqual({ ...c, status: 1 })
        const list = await again.getStatusList(c.statusListId)
        expect(getStatusValue(list!.data, 2, c.statusIdx)).toBe(1)
        expect(list?.version).toBe(2)
        expect(await again.recordDpopJti('jti', T0 + 60)).toBe(false)
        // Allocation continues without reusing the two indices already handed out.
        const more = []
        for (let i = 0; i < 14; i++) more.push(await again.recordIssuance(issuance(`n${i}`)))
        expect(more.every((m) => m.statusListId === '1')).toBe(true)
        expect((await again.checkIntegrity()).problems).toEqual([])
      })
    })
  })
}

/**
 * A database at schema version 1 (the allocation bitmap in the list's row), for the migration tests of each
 * backend: rows to insert with that backend's SQL. List 1 (cwt, 2 bits, 64 entries) has indices 3, 40 and 41
 * allocated, 40 revoked; list 2 (jwt, 1 bit, 8,200 entries: three allocation pages) has 0, 4100 and 8199.
 */
export const V1_FIXTURE = {
  lists: [
    { id: '1', seq: 1, form: 'cwt', bits: 2, size: 64, allocated: 3, data: v1Bits(64, 2, [[40, 1]]), alloc: v1Bits(64, 1, [[3, 1], [40, 1], [41, 1]]) },
    { id: '2', seq: 2, form: 'jwt', bits: 1, size: 8200, allocated: 3, data: v1Bits(8200, 1, []), alloc: v1Bits(8200, 1, [[0, 1], [4100, 1], [8199, 1]]) },
  ],
  credentials: [
    { id: 'c3', list: '1', idx: 3, status: 0 },
    { id: 'c40', list: '1', idx: 40, status: 1 },
    { id: 'c41', list: '1', idx: 41, status: 0 },
    { id: 'j0', list: '2', idx: 0, status: 0 },
    { id: 'j4100', list: '2', idx: 4100, status: 0 },
    { id: 'j8199', list: '2', idx: 8199, status: 0 },
  ],
} as const

function v1Bits(size: number, bits: number, set: [number, number][]): Uint8Array {
  const out = new Uint8Array((size * bits) / 8)
  for (const [idx, v] of set) out[Math.floor((idx * bits) / 8)]! |= v << ((idx * bits) % 8)
  return out
}

/**
 * What a migrated {@link V1_FIXTURE} database must hold: the same allocations and statuses, a clean integrity
 * check, and an allocator that hands out exactly the indices not used before (and then opens a new list).
 */
export async function expectV1FixtureMigrated(repo: IssuerRepository): Promise<void> {
  expect(await repo.checkIntegrity()).toEqual({ credentials: 6, statusLists: 2, problems: [] })
  expect((await repo.listStatusLists()).map((l) => [l.id, l.form, l.size, l.allocated])).toEqual([['1', 'cwt', 64, 3], ['2', 'jwt', 8200, 3]])
  const list1 = await repo.getStatusList('1')
  expect(list1?.data).toEqual(V1_FIXTURE.lists[0].data)
  expect(getStatusValue(list1!.data, 2, 40)).toBe(1)
  const fresh: number[] = []
  for (let i = 0; i < 61; i++) fresh.push((await repo.recordIssuance(issuance(`m${i}`, { userId: 'u1' }))).statusIdx)
  expect(fresh.sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i).filter((i) => ![3, 40, 41].includes(i)))
  expect((await repo.recordIssuance(issuance('m61', { userId: 'u1' }))).statusListId).toBe('3')
  const jwt = await repo.recordIssuance(issuance('mj', { userId: 'u1', listForm: 'jwt', format: 'dc+sd-jwt', randomInt: (n) => n - 1 }))
  expect(jwt).toMatchObject({ statusListId: '2', statusIdx: 8198 })
  expect((await repo.checkIntegrity()).problems).toEqual([])
}
