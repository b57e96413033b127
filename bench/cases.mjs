/**
 * Fixtures and benchmark bodies for `npm run bench` (bench/main.mjs) and bench/bench.test.ts.
 * Every body is a function that does ONE unit of work on pre-made, fixed inputs; main.mjs times it, the test runs it
 * once on tiny inputs. Keys are generated once per run; all signatures use node:crypto (`@e2eid/shared/node`).
 */
import * as nodeCrypto from 'node:crypto'
import { join } from 'node:path'
import {
  CborTag,
  StatusList,
  base64urlEncode,
  createKbt,
  decodeStatusListJson,
  encodeStatusListJson,
  issueSdCwt,
  issueSdJwtVc,
  mlsGroupAudience,
  mlsSignatureKeyFromJwk,
  presentSdJwtVc,
  sdCwtMlsCredential,
  toMlsCredentialCarrier,
  verifySdCwtPresentation,
  verifySdJwtVcPresentation,
} from '@e2eid/shared'
import { createNodeCompression, createNodeCryptoProvider } from '@e2eid/shared/node'
import { openSqliteRepository } from '@e2eid/issuer'
import { MlsCredentialAuthenticationService, mlsPresentationVerifier, pinnedKeyTrustStore } from '@e2eid/verifier'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'

export const ISS = 'https://issuer.example'
export const VCT = 'https://issuer.example/vct/mimi_identity'
export const AUD = 'https://verifier.example'
export const NONCE = 'n-0S6_WzA2Mj'
export const SERVICE = 'https://chat.example'
/** The five selectively disclosable attributes (the other five claims are iss, sub, iat, exp, vct). */
export const ATTRS = { handle: 'im:alice@example.com', name: 'Alice Example', email: 'alice@example.com', org: 'example.com', role: 'engineer' }
export const DISCLOSE = Object.keys(ATTRS)
export const DECOYS = 2

/**
 * A key pair as JWKs, generated with the JWK encoding done inside node's key generation job. Not
 * `provider.generateKeyPair` (generateKeyPairSync + KeyObject.export): on Node 20.20.2 that can deadlock when a GC
 * during the export finalizes the generation job that shares the key's mutex (seen twice while making the 2,100
 * fixture keys; main thread in ~KeyGenJob → uv_mutex_lock under ExportJWKEcKey).
 */
export function benchKeyPair(alg) {
  const enc = { privateKeyEncoding: { format: 'jwk' }, publicKeyEncoding: { format: 'jwk' } }
  const { privateKey, publicKey } = alg === 'EdDSA' ? nodeCrypto.generateKeyPairSync('ed25519', enc) : nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'P-256', ...enc })
  return { privateJwk: privateKey, publicJwk: publicKey }
}

/**
 * Keys and credentials shared by the benchmarks. `members` = number of MLS leaf credentials (1,000 in the bench).
 * `coldHolders` = number of distinct P-256 holder presentations for the cold-key KBT row (0 to skip).
 * `mlsP256` = also make the P-256 (ciphersuite 2) MLS group of `members` leaves.
 */
export async function makeFixtures({ members = 1000, coldHolders = 0, mlsP256 = true } = {}) {
  const provider = createNodeCryptoProvider()
  const now = Math.floor(Date.now() / 1000)
  const issuer = benchKeyPair('ES256')
  const holderP256 = benchKeyPair('ES256')
  const holderEd = benchKeyPair('EdDSA')
  const cnonce = nodeCrypto.randomBytes(16)

  // SD-CWT: 10 claims (iss, sub, iat, exp, vct + 5 redactable attributes), 2 decoys, cnf = holder COSE_Key.
  const sdCwtClaims = () => {
    const m = new Map([[1, ISS], [2, 'alice'], [6, now], [4, now + 30 * 86400], [11, VCT]])
    for (const [k, v] of Object.entries(ATTRS)) m.set(new CborTag(58, k), v)
    return m
  }
  const sdCwtIssueInput = { claims: sdCwtClaims(), issuerKey: issuer.privateJwk, holderKey: holderP256.publicJwk, decoys: DECOYS, provider }
  const kbtFor = async (holder, aud = AUD) => {
    const sdCwt = await issueSdCwt({ ...sdCwtIssueInput, holderKey: holder.publicJwk })
    return createKbt({ sdCwt, disclose: DISCLOSE, holderKey: holder.privateJwk, aud, cnonce, provider, now })
  }
  const kbtP256 = await kbtFor(holderP256)
  const kbtEd = await kbtFor(holderEd)
  const cold = []
  for (let i = 0; i < coldHolders; i++) cold.push(await kbtFor(benchKeyPair('ES256')))

  // SD-JWT VC through our adapter: same attributes, 5 disclosable, 2 decoys.
  const sdJwtIssueInput = {
    provider,
    claims: { sub: 'alice', ...ATTRS },
    disclosable: DISCLOSE,
    decoys: DECOYS,
    issuerKey: issuer.privateJwk,
    iss: ISS,
    vct: VCT,
    holderKey: holderP256.publicJwk,
    iat: now,
    exp: now + 30 * 86400,
  }
  const sdJwtVc = await issueSdJwtVc(sdJwtIssueInput)
  const sdJwtPresentation = await presentSdJwtVc({ provider, sdJwtVc, disclose: DISCLOSE, holderKey: holderP256.privateJwk, aud: AUD, nonce: NONCE, now })

  // The peer: @sd-jwt/sd-jwt-vc's SDJwtVcInstance with node:crypto callbacks, same keys. Imported keys are cached as
  // KeyObjects the way our provider caches them, so both sides pay the same key-import cost (none after the first).
  const issuerPriv = nodeCrypto.createPrivateKey({ key: issuer.privateJwk, format: 'jwk' })
  const issuerPub = nodeCrypto.createPublicKey({ key: issuer.publicJwk, format: 'jwk' })
  const holderPriv = nodeCrypto.createPrivateKey({ key: holderP256.privateJwk, format: 'jwk' })
  const peerKeyCache = new Map()
  const importJwk = (jwk) => {
    const k = `${jwk.crv}.${jwk.x}.${jwk.y}`
    let ko = peerKeyCache.get(k)
    if (ko === undefined) peerKeyCache.set(k, (ko = nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' })))
    return ko
  }
  const es256 = { dsaEncoding: 'ieee-p1363' }
  const peer = new SDJwtVcInstance({
    hasher: (data) => new Uint8Array(nodeCrypto.hash('sha256', typeof data === 'string' ? data : new Uint8Array(data), 'buffer')),
    hashAlg: 'sha-256',
    saltGenerator: (n) => base64urlEncode(nodeCrypto.randomBytes(n)),
    signAlg: 'ES256',
    signer: (data) => base64urlEncode(nodeCrypto.sign('sha256', Buffer.from(data), { key: issuerPriv, ...es256 })),
    verifier: (data, sig) => nodeCrypto.verify('sha256', Buffer.from(data), { key: issuerPub, ...es256 }, Buffer.from(sig, 'base64url')),
    kbSignAlg: 'ES256',
    kbSigner: (data) => base64urlEncode(nodeCrypto.sign('sha256', Buffer.from(data), { key: holderPriv, ...es256 })),
    kbVerifier: (data, sig, payload) => nodeCrypto.verify('sha256', Buffer.from(data), { key: importJwk(payload.cnf.jwk), ...es256 }, Buffer.from(sig, 'base64url')),
  })
  const peerPayload = { iss: ISS, vct: VCT, iat: now, exp: now + 30 * 86400, cnf: { jwk: holderP256.publicJwk }, sub: 'alice', ...ATTRS }
  const peerFrame = { _sd: DISCLOSE, _sd_decoy: DECOYS }
  const peerCredential = await peer.issue(peerPayload, peerFrame)
  const peerPresentation = await peer.present(peerCredential, Object.fromEntries(DISCLOSE.map((k) => [k, true])), {
    kb: { payload: { aud: AUD, nonce: NONCE, iat: now } },
  })

  // The floor: two ES256 verifies with node:crypto on cached KeyObjects (what a KBT verify cannot avoid).
  const floorData = [nodeCrypto.randomBytes(300), nodeCrypto.randomBytes(120)]
  const floorSigs = floorData.map((d) => nodeCrypto.sign('sha256', d, { key: issuerPriv, ...es256 }))
  const floorKeys = [issuerPub, nodeCrypto.createPublicKey({ key: holderP256.publicJwk, format: 'jwk' })]
  const floorSigs2 = [floorSigs[0], nodeCrypto.sign('sha256', floorData[1], { key: holderPriv, ...es256 })]

  // MLS: `members` leaf credentials, each its own SD-CWT KBT for the group audience: Ed25519 leaf keys (ciphersuite 1,
  // the mandatory one) and, for a second group, P-256 leaf keys (ciphersuite 2). Each leaf also gets the two bare
  // signatures of its floor: the issuer's ES256 and the leaf key's, over data about the size of the SD-CWT's and the
  // KBT's Sig_structure.
  const groupId = new Uint8Array([1, 2, 3, 4])
  const groupAud = mlsGroupAudience(SERVICE, groupId)
  const makeLeaves = async (alg) => {
    const out = []
    for (let i = 0; i < members; i++) {
      const leaf = benchKeyPair(alg)
      const sdCwt = await issueSdCwt({ claims: new Map([...sdCwtClaims()].map(([k, v]) => [k, k === 2 ? `member-${i}` : v])), issuerKey: issuer.privateJwk, holderKey: leaf.publicJwk, provider })
      const kbt = await createKbt({ sdCwt, disclose: DISCLOSE, holderKey: leaf.privateJwk, aud: groupAud, provider, now })
      const leafPriv = nodeCrypto.createPrivateKey({ key: leaf.privateJwk, format: 'jwk' })
      out.push({
        credential: toMlsCredentialCarrier(sdCwtMlsCredential(kbt)),
        signatureKey: mlsSignatureKeyFromJwk(leaf.publicJwk),
        floor: {
          publicJwk: leaf.publicJwk,
          issuerSig: nodeCrypto.sign('sha256', mlsFloorData.issuer, { key: issuerPriv, ...es256 }),
          leafSig: alg === 'EdDSA' ? nodeCrypto.sign(null, mlsFloorData.leaf, leafPriv) : nodeCrypto.sign('sha256', mlsFloorData.leaf, { key: leafPriv, ...es256 }),
        },
      })
    }
    return out
  }
  const mlsFloorData = { issuer: nodeCrypto.randomBytes(kbtEd.length - 200), leaf: nodeCrypto.randomBytes(kbtEd.length + 20) }
  const leaves = await makeLeaves('EdDSA')
  const leavesP256 = mlsP256 ? await makeLeaves('ES256') : []

  return {
    provider,
    now,
    issuer,
    holderP256,
    holderEd,
    cnonce,
    sdCwtIssueInput,
    kbtP256,
    kbtEd,
    cold,
    sdJwtIssueInput,
    sdJwtVc,
    sdJwtPresentation,
    peer,
    peerPayload,
    peerFrame,
    peerCredential,
    peerPresentation,
    floor: { data: floorData, sigs: floorSigs2, keys: floorKeys },
    mls: { leaves, leavesP256, groupAud, floorData: mlsFloorData, issuerPub },
  }
}

/** Benchmark bodies over fixtures `f`. Each resolves to something checkable (the tests look at it). */
export function bodies(f) {
  /** A fresh AuthenticationService for joining the bench group, with the real verifier callback over `provider`. */
  const joiningService = (provider) => {
    // The bench credentials carry no status reference (the join measures signatures, not status lists).
    const verify = mlsPresentationVerifier({ keyBindingMaxAgeSeconds: 30 * 86400, now: () => f.now, status: 'if-present' }, { trust: pinnedKeyTrustStore(f.issuer.publicJwk), provider })
    return new MlsCredentialAuthenticationService({ verify, service: SERVICE, provider, now: () => f.now * 1000 })
  }
  /** ts-mls's walk on joining: one leaf at a time through the join view; returns how many were accepted. */
  const walkLeaves = async (as, leaves = f.mls.leaves) => {
    const view = as.forJoin()
    let ok = 0
    for (const leaf of leaves) {
      if (await view.validateCredential(leaf.credential, leaf.signatureKey)) ok++
      else throw view.lastRefusal ?? new Error('refused')
    }
    return ok
  }
  const mlsFloor = (leaves, leafHash) => {
    const o = { dsaEncoding: 'ieee-p1363' }
    const { floorData: d, issuerPub } = f.mls
    let ok = 0
    for (const { floor } of leaves) {
      const leafKey = nodeCrypto.createPublicKey({ key: floor.publicJwk, format: 'jwk' })
      if (
        nodeCrypto.verify('sha256', d.issuer, { key: issuerPub, ...o }, floor.issuerSig) &&
        nodeCrypto.verify(leafHash, d.leaf, leafHash === null ? leafKey : { key: leafKey, ...o }, floor.leafSig)
      )
        ok++
    }
    return ok
  }
  const sdCwtVerifyOptions = { issuerKeys: [f.issuer.publicJwk], provider: f.provider, aud: AUD, cnonce: f.cnonce, now: f.now }
  let coldIdx = 0
  return {
    sdCwtIssue: () => issueSdCwt(f.sdCwtIssueInput),
    kbtVerifyP256: () => verifySdCwtPresentation(f.kbtP256, sdCwtVerifyOptions),
    kbtVerifyEd25519: () => verifySdCwtPresentation(f.kbtEd, sdCwtVerifyOptions),
    /** A different P-256 holder each call (more than the provider's key cache holds): pays the key import. */
    kbtVerifyP256Cold: () => verifySdCwtPresentation(f.cold[coldIdx++ % f.cold.length], sdCwtVerifyOptions),
    sdJwtIssue: () => issueSdJwtVc(f.sdJwtIssueInput),
    sdJwtKbVerify: () =>
      verifySdJwtVcPresentation(f.sdJwtPresentation, { provider: f.provider, issuerKeys: [f.issuer.publicJwk], aud: AUD, nonce: NONCE, now: f.now }),
    peerIssue: () => f.peer.issue(f.peerPayload, f.peerFrame),
    peerKbVerify: () => f.peer.verify(f.peerPresentation, { keyBindingNonce: NONCE, currentDate: f.now }),
    /** Synchronous: the two signature checks of a KBT verify and nothing else. */
    floorTwoEs256: () => {
      const o = { dsaEncoding: 'ieee-p1363' }
      return (
        nodeCrypto.verify('sha256', f.floor.data[0], { key: f.floor.keys[0], ...o }, f.floor.sigs[0]) &&
        nodeCrypto.verify('sha256', f.floor.data[1], { key: f.floor.keys[1], ...o }, f.floor.sigs[1])
      )
    },
    /**
     * Validates every leaf credential as a verifier joining the group does: a fresh AuthenticationService (no
     * verification cache) and a fresh node:crypto provider (every leaf key is imported; the issuer key once).
     */
    mlsJoin: () => walkLeaves(joiningService(createNodeCryptoProvider())),
    /** The same join in a group whose leaves have P-256 signature keys (ciphersuite 2). */
    mlsJoinP256: () => walkLeaves(joiningService(createNodeCryptoProvider()), f.mls.leavesP256),
    /**
     * The floor of a join, synchronous: per leaf, what validating its credential cannot avoid with node:crypto —
     * the issuer's ES256 signature (issuer key imported once), the import of the leaf's public key (a new key for
     * every leaf) and its signature. Returns how many leaves passed.
     */
    mlsJoinFloor: () => mlsFloor(f.mls.leaves, null),
    mlsJoinFloorP256: () => mlsFloor(f.mls.leavesP256, 'sha256'),
    /**
     * The same join using every core: a node:crypto provider on the libuv threadpool and the service's
     * `prevalidate` (32 leaves in flight), then the one-leaf-at-a-time walk ts-mls does, which hits the cache.
     * Timed with the wall clock in an unpinned process (bench/mls-cores.mjs): CPU time would add up the cores.
     */
    mlsJoinAllCores: async () => {
      const as = joiningService(createNodeCryptoProvider({ threadpool: true }))
      const refusals = await as.prevalidate(f.mls.leaves.map((l) => ({ credential: l.credential, signaturePublicKey: l.signatureKey })), { mode: 'join' }, 32)
      const refused = refusals.find((r) => r !== undefined)
      if (refused !== undefined) throw refused
      return walkLeaves(as)
    },
  }
}

/** A 1-bit list of `n` entries with 1 % deterministic pseudo-random revocations. */
export function makeStatusList(n) {
  const list = StatusList.create(n, 1)
  let x = 12345
  for (let k = 0; k < n / 100; k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    list.set(x % n, 1)
  }
  return list
}

/** Status list bodies: compress (encodeStatusListJson) with a node:zlib strategy, decompress, set, get. */
export function statusListBodies(list) {
  const rle = createNodeCompression()
  const deflt = createNodeCompression({ strategy: 'default' })
  const n = list.size
  const scratch = StatusList.create(n, list.bits)
  let i = 0
  let x = 987654321
  return {
    compressRle: () => encodeStatusListJson(list, { compression: rle }),
    compressDefault: () => encodeStatusListJson(list, { compression: deflt }),
    decompress: (json) => decodeStatusListJson(json, { compression: rle, maxDecompressedBytes: list.bytes.length }),
    /** One set at a pseudo-random index (on a scratch list of the same size, so the measured list stays as made). */
    set: () => {
      // 30 bits: the generator's state stays a small integer (a larger one is boxed on every write, and the
      // extra-heap figure would count the harness's garbage, not the list's).
      x = (Math.imul(x, 1103515245) + 12345) & 0x3fffffff
      scratch.set(x % n, 1)
    },
    /** `count` sequential lookups; returns their sum. */
    getMany: (l, count) => {
      let s = 0
      for (let k = 0; k < count; k++) {
        s += l.get(i)
        i = i + 1 === n ? 0 : i + 1
      }
      return s
    },
  }
}

/**
 * The issuer's SQLite store (default durability: group commit) in `dir`, its lists `size` entries long, with one
 * user. `issue(count)` records `count` issuances, 32 per event-loop turn as a busy server does, and resolves to
 * their status indices.
 */
export async function makeIssuanceStore(dir, size) {
  const repo = await openSqliteRepository(join(dir, `issuer-${size}.sqlite`), { statusListSize: size })
  await repo.createUser({ id: 'bench', claims: {}, passwordHash: null, createdAt: 1 })
  let n = 0
  return {
    repo,
    async issue(count) {
      const out = []
      for (let i = 0; i < count; i += 32) {
        const turn = []
        for (let k = i; k < Math.min(count, i + 32); k++) {
          turn.push(repo.recordIssuance({ id: `c${n++}`, userId: 'bench', format: 'dc+sd-jwt', credentialConfigurationId: 'x', holderKeyThumbprint: 't', issuedAt: 1, expiresAt: 2, listForm: 'jwt' }))
        }
        for (const c of await Promise.all(turn)) out.push(c.statusIdx)
      }
      return out
    },
  }
}
