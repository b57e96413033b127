/**
 * The authorization code flow from the page (OpenID4VCI 1.0 §3.4, RFC 6749 §4.1): the person signs in at the
 * authority in a separate window, so that this page — its wallet and the pending request with its PKCE verifier —
 * stays as it is. The window is opened inside the click (browsers block windows opened later), sent to the
 * authorization URL once the wallet library has made it, and comes back to this page's own URL with the code.
 * Loaded there, the page hands the URL over on a BroadcastChannel of this origin: not through `window.opener`,
 * which the authority's login page severs (Cross-Origin-Opener-Policy: same-origin, as our issuer sends). The
 * wallet library then checks `state` (so a URL from anywhere else is refused) and `iss` (RFC 9207), and redeems
 * the code. For the same reason the page cannot see the window being closed: the person cancels on the page.
 */
import { E2eidError } from '@e2eid/shared'

const WINDOW_NAME = 'e2eid-authorize'
const CHANNEL = 'e2eid-authorization-response'
const WINDOW_FEATURES = 'popup,width=520,height=720'
/** How long the page waits for the sign-in (then ERR_WALLET_SIGN_IN_TIMEOUT). */
const SIGN_IN_TIMEOUT_MS = 10 * 60 * 1000

/** This page's address without query or fragment: the redirect URI it registers (wallet origin). */
export function redirectUri(): string {
  return `${location.origin}${location.pathname}`
}

/**
 * Back from the authority (`?code=` or `?error=` with `state`): passes the URL to the waiting wallet page and
 * closes this window when the browser lets it. True when this load was such a return (no wallet starts here).
 */
export function answerAuthorizationResponse(): boolean {
  const q = new URLSearchParams(location.search)
  if (!q.has('state') || !(q.has('code') || q.has('error'))) return false
  const channel = new BroadcastChannel(CHANNEL)
  channel.postMessage({ url: location.href })
  channel.close()
  // The code is in this window's address: replace it, so that it is neither kept in history nor reloaded.
  history.replaceState(null, '', redirectUri())
  document.body.textContent = 'Signed in. You can close this window; the wallet page goes on.'
  window.close()
  return true
}

/** Opens the sign-in window now (inside a click); null when the browser blocked it. */
export function openSignInWindow(): Window | null {
  return window.open('about:blank', WINDOW_NAME, WINDOW_FEATURES)
}

/**
 * The wallet library's `authorize`: takes `win` (or a window opened now) to the authorization URL and resolves
 * with the URL the authority redirected to. Refuses when the window was blocked, when `signal` aborts (the person
 * cancelled) or after ten minutes.
 */
export function authorizeInWindow(win: Window | null, signal: AbortSignal): (authorizationRequestUrl: string) => Promise<string> {
  return (url) =>
    new Promise<string>((resolve, reject) => {
      const w = win !== null && !win.closed ? win : window.open(url, WINDOW_NAME, WINDOW_FEATURES)
      if (w === null) {
        reject(new E2eidError('ERR_WALLET_SIGN_IN_BLOCKED', 'the browser blocked the sign-in window: allow pop-ups for this page and try again'))
        return
      }
      if (w === win) w.location.href = url
      const channel = new BroadcastChannel(CHANNEL)
      const finish = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        channel.close()
      }
      const onAbort = (): void => {
        finish()
        reject(new E2eidError('ERR_WALLET_SIGN_IN_CANCELLED', 'the sign-in was cancelled'))
      }
      const timer = setTimeout(() => {
        finish()
        reject(new E2eidError('ERR_WALLET_SIGN_IN_TIMEOUT', 'no answer from the sign-in window in ten minutes'))
      }, SIGN_IN_TIMEOUT_MS)
      channel.onmessage = (e: MessageEvent) => {
        const data = e.data as { url?: unknown } | null
        if (typeof data?.url !== 'string') return
        finish()
        resolve(data.url)
      }
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort)
    })
}
