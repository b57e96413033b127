/**
 * @module oid4vci/issuer-trust
 * Which Credential Issuers the wallet sends secrets to (against the "tx_code relay"). An offer is
 * data the messaging provider can rewrite: with `credential_issuer` pointing at its own server it would
 * collect the pre-authorized code and the tx_code the user types, and redeem both at the real authority
 * with its own key (OpenID4VCI 1.0 §13.6 leaves the check to the wallet). So before ANY secret-bearing
 * request (token request, authorization request) the issuer must be trusted: in the configured list, in
 * the list persisted in the wallet's store, or confirmed by the user for this receipt (then remembered).
 * Issuers are compared by their exact Credential Issuer Identifier (§12.2.1), which the library has
 * already checked equals the fetched metadata's `credential_issuer`.
 */
import { E2eidError } from '@e2eid/shared'
import type { WalletDb } from '../storage/schema.js'

/** What the user is asked to confirm: the issuer identifier and its origin (what to show). */
export interface IssuerToConfirm {
  issuer: string
  origin: string
}

/** Asks the user whether to send this offer's secrets to an issuer the wallet does not know yet. */
export type ConfirmIssuer = (issuer: IssuerToConfirm) => Promise<boolean>

/** The `meta` row holding the persisted list (no schema change: `meta` is a key-value table). */
const META_ROW = 'trustedIssuers'

/** Parses a Credential Issuer Identifier (§12.2.1: https URL, no query, no fragment); throws ERR_WALLET_ISSUER_INVALID. */
export function parseIssuerIdentifier(issuer: string): URL {
  let u: URL
  try {
    u = new URL(issuer)
  } catch {
    throw new E2eidError('ERR_WALLET_ISSUER_INVALID', `not a credential issuer identifier: ${issuer}`)
  }
  // http only for loopback development; receive() enforces https unless allowInsecureUrls.
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    throw new E2eidError('ERR_WALLET_ISSUER_INVALID', `not a credential issuer identifier (§12.2.1: https, no query or fragment): ${issuer}`)
  }
  return u
}

/** The persisted trusted issuers. */
export async function listTrustedIssuers(db: WalletDb): Promise<string[]> {
  const row = await db.meta.get(META_ROW)
  const v = row?.value
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

/** Adds issuers to the persisted list (exact identifiers, validated). */
export async function addTrustedIssuers(db: WalletDb, issuers: readonly string[]): Promise<void> {
  for (const i of issuers) parseIssuerIdentifier(i)
  await db.transaction('rw', db.meta, async () => {
    const list = await listTrustedIssuers(db)
    const merged = [...list, ...issuers.filter((i, n) => !list.includes(i) && issuers.indexOf(i) === n)]
    await db.meta.put({ name: META_ROW, value: merged })
  })
}

/** Removes an issuer from the persisted list. */
export async function removeTrustedIssuer(db: WalletDb, issuer: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const list = await listTrustedIssuers(db)
    await db.meta.put({ name: META_ROW, value: list.filter((i) => i !== issuer) })
  })
}

/**
 * Resolves when `issuer` may receive this offer's secrets; otherwise throws ERR_WALLET_ISSUER_UNTRUSTED
 * (no confirmation callback, or the user declined). A confirmed issuer is added to the persisted list.
 */
export async function ensureIssuerTrusted(
  db: WalletDb,
  issuer: string,
  configured: readonly string[] | undefined,
  confirm: ConfirmIssuer | undefined,
): Promise<void> {
  const u = parseIssuerIdentifier(issuer)
  if (configured?.includes(issuer) === true) return
  if ((await listTrustedIssuers(db)).includes(issuer)) return
  if (confirm === undefined) {
    throw new E2eidError('ERR_WALLET_ISSUER_UNTRUSTED', `the offer's issuer ${u.origin} is not a trusted credential issuer of this wallet: nothing was sent to it (trust it first, e.g. --trust-issuer ${issuer})`)
  }
  let ok: boolean
  try {
    ok = await confirm({ issuer, origin: u.origin })
  } catch (e) {
    throw new E2eidError('ERR_WALLET_ISSUER_UNTRUSTED', `the issuer ${u.origin} was not confirmed`, { cause: e })
  }
  if (ok !== true) throw new E2eidError('ERR_WALLET_ISSUER_UNTRUSTED', `the issuer ${u.origin} was not confirmed: nothing was sent to it`)
  await addTrustedIssuers(db, [issuer])
}
