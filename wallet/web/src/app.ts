/**
 * Page-wide state of the wallet page: the wallet (Dexie on this browser's IndexedDB, keys wrapped by a
 * non-extractable WebCrypto key), the page configuration, the selected credential, and the message line.
 */
import { isE2eidError } from '@e2eid/shared'
import { Wallet, defaultFormatHandlers } from '@e2eid/wallet'
import { byId } from './dom.js'

/** What the page server's config.json suggests. */
export interface PageConfig {
  issuerUrl: string | null
  verifierUrl: string | null
}

export const fetchFn: typeof fetch = (input, init) => globalThis.fetch(input, init)
export const wallet = new Wallet({ handlers: defaultFormatHandlers(), fetch: fetchFn })

export const page: { config: PageConfig; selectedId: string | undefined } = {
  config: { issuerUrl: null, verifierUrl: null },
  selectedId: undefined,
}

/** Actions the list's buttons trigger in other modules (set by main.ts; avoids an import cycle). */
export const actions = {
  present: async (_id: string): Promise<void> => {},
}

/**
 * An error as one sentence with its codes once, at the end: messages of wrapped errors carry inner codes
 * ("… (ERR_STATUS_LIST_FETCH_FAILED)", "invalid_request: ERR_STATUS_REVOKED: …"); they are taken out of the prose
 * and listed after the outer code, so codes never pile up in the text.
 */
export function errorText(e: unknown): string {
  if (!isE2eidError(e)) return e instanceof Error ? e.message : String(e)
  const codes: string[] = [e.code]
  const prose = e.message
    .replace(/\s*\((ERR_[A-Z0-9_]+)\)/g, (_m, c: string) => (codes.push(c), ''))
    .replace(/\b(ERR_[A-Z0-9_]+)(: )?/g, (_m, c: string) => (codes.push(c), ''))
    .replace(/\s{2,}/g, ' ')
    .trim()
  return `${prose} (${[...new Set(codes)].join(', ')})`
}

/** Clears the message line (a new offer or request makes an earlier error stale). */
export function clearNotice(): void {
  const n = byId('notice')
  n.className = 'notice'
  n.setAttribute('role', 'status')
  n.textContent = ''
}

/** The page's one message line (role=alert for errors so screen readers announce them). */
export function notify(kind: 'info' | 'ok' | 'error', text: string): void {
  const n = byId('notice')
  n.className = `notice ${kind}`
  n.setAttribute('role', kind === 'error' ? 'alert' : 'status')
  n.textContent = text
}
