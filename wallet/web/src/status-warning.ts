/**
 * Before a revoked or suspended credential is presented, the page says so (the issuer's words) and
 * asks for an explicit "Present anyway": the verifier will most likely refuse it, and presenting it still
 * discloses the chosen claims. The status comes from the wallet's status client (its cached, verified list
 * while the list's ttl lasts, else a fresh fetch); an unknown status does not block.
 */
import { wallet } from './app.js'
import { byId } from './dom.js'

let confirmedFor: string | undefined

async function statusValue(id: string, refresh: boolean): Promise<number | undefined> {
  try {
    return (await wallet.status(id, refresh)).status
  } catch {
    return undefined // no status list, or unreachable: nothing says the credential is revoked
  }
}

/** The issuer's word for a status value (Token Status List §7.1: 1 INVALID is a revocation). */
function word(value: number): string {
  return value === 1 ? 'revoked' : value === 2 ? 'suspended' : `not valid (status ${value})`
}

/**
 * Shows the warning when credential `id` is not VALID and the holder has not chosen "Present anyway" for it;
 * hides it otherwise. True when presenting may go on. `refresh` fetches the list even when the cached one is fresh
 * (right before signing: a revocation made while the page was open shows, whatever the list's ttl).
 */
export async function checkPresentable(id: string, refresh = false): Promise<boolean> {
  const box = byId('revoked-warning')
  const v = await statusValue(id, refresh)
  if (v === undefined || v === 0 || confirmedFor === id) {
    box.hidden = true
    return true
  }
  byId('revoked-warning-text').textContent = `This credential is ${word(v)} by its issuer.`
  box.hidden = false
  return false
}

/** A new presentation flow: an earlier "Present anyway" no longer counts. */
export function resetPresentAnyway(): void {
  confirmedFor = undefined
  byId('revoked-warning').hidden = true
}

/** The holder chose "Present anyway" for credential `id` (used once). */
export function confirmPresentAnyway(id: string): void {
  confirmedFor = id
  byId('revoked-warning').hidden = true
}
