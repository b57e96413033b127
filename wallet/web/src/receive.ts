/**
 * Receiving: the pasted offer is previewed (QR code, issuer, whether a Transaction Code or a sign-in is needed)
 * and then received by the wallet library (OpenID4VCI pre-authorized code flow, or the authorization code flow
 * with the sign-in in its own window: authorize.ts; holder checks before storing).
 */
import { isE2eidError } from '@e2eid/shared'
import QRCode from 'qrcode'
import { clearNotice, errorText, fetchFn, notify, wallet } from './app.js'
import { renderList, showDetail, titleOf } from './credentials.js'
import { byId, h, replace } from './dom.js'
import { authorizeInWindow, openSignInWindow, redirectUri } from './authorize.js'
import { summarizeOffer } from './offer.js'
import type { OfferSummary } from './offer.js'

let offer: OfferSummary | undefined
// One resolution per pasted URI: an offer by reference may be served only once, so the
// preview and the receive share it instead of fetching the reference twice.
let resolving: { uri: string; summary: Promise<OfferSummary> } | undefined

// The page's client id at the authority, registered there with this page's exact address as redirect URI
// (issuer configuration `clients`; `e2eid up` registers it).
const CLIENT_ID = 'e2eid-wallet-page'

function isLoopback(url: string): boolean {
  try {
    const u = new URL(url)
    return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]'
  } catch {
    return false
  }
}

export async function previewOffer(): Promise<void> {
  const uri = byId<HTMLTextAreaElement>('offer-uri').value.trim()
  const box = byId('offer-preview')
  offer = undefined
  byId('tx-code-row').hidden = true
  // An error about the previous offer (a wrong code, an untrusted issuer) is stale now.
  if (byId('notice').classList.contains('error')) clearNotice()
  if (uri === '') {
    box.hidden = true
    return
  }
  try {
    byId<HTMLImageElement>('offer-qr').src = await QRCode.toDataURL(uri, { margin: 1, width: 160, errorCorrectionLevel: 'M' })
  } catch {
    byId<HTMLImageElement>('offer-qr').removeAttribute('src')
  }
  box.hidden = false
  try {
    if (resolving?.uri !== uri) resolving = { uri, summary: summarizeOffer(uri, fetchFn) }
    offer = await resolving.summary
  } catch (e) {
    resolving = undefined
    replace(byId('offer-summary'), h('dt', {}, 'Offer'), h('dd', { class: 'error-text' }, errorText(e)))
    return
  }
  const trusted = (await wallet.trustedIssuers()).includes(offer.issuer)
  replace(
    byId('offer-summary'),
    h('dt', {}, 'Issuer'), h('dd', {}, offer.issuer),
    h('dt', {}, 'Trusted'), h('dd', trusted ? {} : { class: 'warn' }, trusted ? 'yes' : 'not yet: you will be asked to confirm it before anything is sent'),
    h('dt', {}, 'Credentials'), h('dd', {}, offer.configurationIds.join(', ')),
    h('dt', {}, 'Code needed'), h('dd', {}, offer.txCode === undefined ? 'no' : 'yes'),
    h('dt', {}, 'Sign-in needed'), h('dd', {}, offer.preAuthorized ? 'no' : 'yes, at the authority (a window opens)'),
  )
  if (offer.txCode !== undefined) showTxCode(offer.txCode)
}

function showTxCode(tx: NonNullable<OfferSummary['txCode']>): void {
  const input = byId<HTMLInputElement>('tx-code')
  input.inputMode = tx.inputMode === 'text' ? 'text' : 'numeric'
  if (tx.length !== undefined) input.maxLength = tx.length
  byId('tx-code-help').textContent = tx.description ?? `This offer is protected by a${tx.length === undefined ? '' : ` ${tx.length}-character`} code sent to you separately.`
  byId('tx-code-help').className = 'help'
  byId('tx-code-row').hidden = false
}

/**
 * Before any secret goes to an issuer this wallet does not trust yet, show its origin and
 * wait for Trust / Cancel (the wallet library remembers a trusted issuer).
 */
function confirmIssuerOnPage({ origin }: { origin: string }): Promise<boolean> {
  const box = byId('issuer-confirm')
  const yes = byId<HTMLButtonElement>('issuer-confirm-yes')
  const no = byId<HTMLButtonElement>('issuer-confirm-no')
  byId('issuer-confirm-origin').textContent = origin
  box.hidden = false
  notify('info', `Check the issuer: ${origin}`)
  yes.focus()
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => (): void => {
      yes.removeEventListener('click', onYes)
      no.removeEventListener('click', onNo)
      box.hidden = true
      resolve(ok)
    }
    const onYes = done(true)
    const onNo = done(false)
    yes.addEventListener('click', onYes)
    no.addEventListener('click', onNo)
  })
}

export async function receive(event: Event): Promise<void> {
  event.preventDefault()
  const uri = byId<HTMLTextAreaElement>('offer-uri').value.trim()
  if (uri === '') {
    notify('error', 'Paste a credential offer first.')
    byId('offer-uri').focus()
    return
  }
  const txCode = byId<HTMLInputElement>('tx-code').value.trim()
  const button = byId<HTMLButtonElement>('receive')
  // The sign-in window must be opened here, inside the click: a window opened after an await is blocked.
  const signIn = offer !== undefined && !offer.preAuthorized ? openSignInWindow() : null
  const cancel = new AbortController()
  const cancelButton = byId<HTMLButtonElement>('cancel-sign-in')
  const onCancel = (): void => cancel.abort()
  cancelButton.addEventListener('click', onCancel)
  cancelButton.hidden = signIn === null
  button.disabled = true
  notify('info', signIn === null ? 'Receiving the credential: checking the issuer’s signature and that it is bound to a key of this wallet…' : 'Sign in at the authority in the window that opened…')
  try {
    if (offer === undefined) await previewOffer()
    cancelButton.hidden = offer?.preAuthorized !== false
    // http:// issuers are only accepted on loopback (local development, `e2eid up`).
    const insecure = offer !== undefined && isLoopback(offer.issuer)
    // The previewed offer, by value: the reference was already fetched and may be served only once.
    const stored = await wallet.receive(offer?.byValueUri ?? uri, {
      ...(txCode === '' ? {} : { txCode }),
      ...(insecure ? { allowInsecureUrls: true } : {}),
      confirmIssuer: confirmIssuerOnPage,
      // Used only when the offer has no pre-authorized code.
      authorization: { clientId: CLIENT_ID, redirectUri: redirectUri(), authorize: authorizeInWindow(signIn, cancel.signal) },
    })
    notify('ok', `Received ${stored.map(titleOf).join(', ')}.`)
    byId<HTMLFormElement>('offer-form').reset()
    byId('offer-preview').hidden = true
    byId('tx-code-row').hidden = true
    offer = undefined
    resolving = undefined
    await renderList()
    if (stored[0] !== undefined) await showDetail(stored[0].id)
  } catch (e) {
    if (isE2eidError(e) && e.code === 'ERR_WALLET_ISSUER_UNTRUSTED') {
      notify('error', 'Not received: the issuer was not trusted, nothing was sent to it.')
    } else if (isE2eidError(e) && e.code === 'ERR_WALLET_TX_CODE_REQUIRED') {
      showTxCode(offer?.txCode ?? {})
      notify('error', 'This offer needs the transaction code you were given.')
      byId('tx-code').focus()
    } else if (isE2eidError(e) && /wrong tx_code/.test(e.message)) {
      // The issuer says how many tries are left before the offer is invalidated (OpenID4VCI §13.6).
      const left = /(\d+) tr(?:y|ies) left/.exec(e.message)?.[1]
      const help = byId('tx-code-help')
      help.textContent = left === undefined ? 'Wrong code.' : `Wrong code: ${left} ${left === '1' ? 'try' : 'tries'} left.`
      help.className = 'help error-text'
      notify('error', `The transaction code was wrong${left === undefined ? '' : `: ${left} ${left === '1' ? 'try' : 'tries'} left`}. (${e.code})`)
      byId('tx-code').focus()
    } else notify('error', `Could not receive the credential: ${errorText(e)}`)
  } finally {
    cancelButton.removeEventListener('click', onCancel)
    cancelButton.hidden = true
    if (signIn !== null && !signIn.closed) signIn.close()
    button.disabled = false
  }
}
