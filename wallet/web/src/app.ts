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

export function errorText(e: unknown): string {
  if (isE2eidError(e)) return `${e.message} (${e.code})`
  return e instanceof Error ? e.message : String(e)
}

/** The page's one message line (role=alert for errors so screen readers announce them). */
export function notify(kind: 'info' | 'ok' | 'error', text: string): void {
  const n = byId('notice')
  n.className = `notice ${kind}`
  n.setAttribute('role', kind === 'error' ? 'alert' : 'status')
  n.textContent = text
}
