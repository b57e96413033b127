/**
 * @module keys/signing-keys
 * The authority's signing keys. Generated on first start and kept in the database (table of
 * {@link SigningKeyRecord}, private JWK included) so a restart loses nothing. The newest unretired key
 * signs; retired keys stay published (JWKS, COSE key set) so credentials they signed still verify.
 * Reads go through the context's {@link SigningKeyCache} (parsed once; invalidated by addSigningKey and
 * retireSigningKey; changes from other instances on the same database seen within its TTL, 5 s by default).
 */
import type { PrivateJwk, PublicJwk, SignatureAlgorithm } from '@e2eid/shared'
import { algorithmFromJose, parsePrivateJwk, parsePublicJwk } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import type { SigningKeyRecord } from '../storage/repository.js'
import type { IssuerSigningKey } from '../formats/types.js'
import { jwkThumbprint } from '@e2eid/shared'
import { oauthError } from '../http/oauth-error.js'
import type { StoredSigningKey } from './signing-key-cache.js'

function toSigningKey(r: SigningKeyRecord): IssuerSigningKey {
  const alg = algorithmFromJose(r.alg).alg
  const privateJwk: PrivateJwk = parsePrivateJwk(JSON.parse(r.privateJwk))
  const publicJwk: PublicJwk = { ...parsePublicJwk(JSON.parse(r.publicJwk)), kid: r.kid, alg, use: 'sig' }
  return { kid: r.kid, alg, privateJwk, publicJwk }
}

/** Generates a key for `alg`, stores it and returns it. `kid` is its RFC 7638 thumbprint. */
export async function addSigningKey(ctx: IssuerContext, alg: SignatureAlgorithm): Promise<IssuerSigningKey> {
  const pair = await ctx.crypto.generateKeyPair(alg)
  const kid = jwkThumbprint(ctx.crypto, pair.publicJwk)
  await ctx.repo.saveSigningKey({
    kid,
    alg,
    privateJwk: JSON.stringify(pair.privateJwk),
    publicJwk: JSON.stringify(pair.publicJwk),
    createdAt: ctx.now(),
    retiredAt: null,
  })
  ctx.signingKeys.invalidate()
  return toSigningKey({ kid, alg, privateJwk: JSON.stringify(pair.privateJwk), publicJwk: JSON.stringify(pair.publicJwk), createdAt: 0, retiredAt: null })
}

/** Reads and parses every key from the database, newest first (no cache). */
async function loadSigningKeys(ctx: IssuerContext): Promise<StoredSigningKey[]> {
  const rows = await ctx.repo.listSigningKeys()
  return rows
    .slice()
    .sort((a, b) => b.createdAt - a.createdAt || (a.kid < b.kid ? -1 : 1))
    .map((r) => ({ ...toSigningKey(r), createdAt: r.createdAt, retiredAt: r.retiredAt, compromisedSince: r.compromisedSince ?? null }))
}

/** All keys (active and retired), newest first (from the context's key cache). */
export async function listSigningKeys(ctx: IssuerContext): Promise<Array<IssuerSigningKey & { createdAt: number; retiredAt: number | null; compromisedSince?: number | null }>> {
  return (await ctx.signingKeys.get(() => loadSigningKeys(ctx))).slice()
}

/** The key that signs now: the newest unretired one; one is generated when there is none (first start). */
export async function activeSigningKey(ctx: IssuerContext): Promise<IssuerSigningKey> {
  const keys = await ctx.signingKeys.get(() => loadSigningKeys(ctx))
  const active = keys.find((k) => k.retiredAt === null)
  if (active !== undefined) return active
  await addSigningKey(ctx, ctx.config.signingAlg)
  // Several instances (or requests) may each add a first key at once; all stay published, so what any of
  // them signed verifies. Re-read so that every one then signs with the same key (newest, then lowest kid).
  const fresh = await loadSigningKeys(ctx)
  return fresh.find((k) => k.retiredAt === null)!
}

/** Retires `kid`: it stops signing but stays published. Refuses to retire the last active key. */
export async function retireSigningKey(ctx: IssuerContext, kid: string): Promise<void> {
  // Fresh from the database, not the cache: the last-active-key check must see other instances' changes.
  const keys = await loadSigningKeys(ctx)
  const key = keys.find((k) => k.kid === kid)
  if (key === undefined) throw oauthError('not_found', `no signing key ${kid}`, 'ERR_ISSUER_KEY_NOT_FOUND')
  if (key.retiredAt !== null) return
  if (!keys.some((k) => k.retiredAt === null && k.kid !== kid)) {
    throw oauthError('conflict', 'cannot retire the last active signing key; add another first', 'ERR_ISSUER_LAST_ACTIVE_KEY')
  }
  await ctx.repo.retireSigningKey(kid, ctx.now())
  ctx.signingKeys.invalidate()
}

/**
 * Withdraws a compromised key: it stops signing at once, is no longer published (JWKS, COSE key set,
 * jwt-vc-issuer), and `since` (UNIX seconds; default: the key's creation, i.e. everything it ever signed) is
 * recorded for verifiers that pin keys (their trust store's `withdrawn`). When it was the last active key, a new
 * key of the same algorithm is made so that issuance and status lists go on (re-signed with the new key).
 */
export async function compromiseSigningKey(ctx: IssuerContext, kid: string, since?: number): Promise<{ kid: string; compromisedSince: number; activeKid: string }> {
  const keys = await loadSigningKeys(ctx)
  const key = keys.find((k) => k.kid === kid)
  if (key === undefined) throw oauthError('not_found', `no signing key ${kid}`, 'ERR_ISSUER_KEY_NOT_FOUND')
  const at = since ?? key.createdAt
  if (!Number.isSafeInteger(at) || at < 0) throw oauthError('invalid_request', 'since must be a UNIX time in seconds', 'ERR_ISSUER_KEY_SINCE')
  // A future time (a typo, or milliseconds) would tell pinning verifiers to trust the thief's signatures until then.
  if (at > ctx.now()) throw oauthError('invalid_request', 'since must not be in the future', 'ERR_ISSUER_KEY_SINCE')
  // An earlier withdrawal time stays: withdrawing again can only widen what is distrusted.
  const compromisedSince = key.compromisedSince != null ? Math.min(key.compromisedSince, at) : at
  await ctx.repo.markSigningKeyCompromised(kid, compromisedSince, ctx.now())
  ctx.signingKeys.invalidate()
  if (!keys.some((k) => k.kid !== kid && k.retiredAt === null && k.compromisedSince == null)) await addSigningKey(ctx, key.alg)
  const active = await activeSigningKey(ctx)
  return { kid, compromisedSince, activeKid: active.kid }
}
