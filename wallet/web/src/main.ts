/**
 * The browser wallet page: receive a credential from an OpenID4VCI offer, list the credentials with
 * their claims and current status (Token Status List), show one, present it with chosen claims
 * (previewed before anything is signed), delete it. All state is the wallet library's: Dexie on the
 * browser's IndexedDB, holder keys wrapped by a non-extractable WebCrypto AES-GCM key.
 */
import { isE2eidError } from '@e2eid/shared'
import { Wallet, defaultFormatHandlers } from '@e2eid/wallet'
import type { ClaimPath, StoredCredential } from '@e2eid/wallet'
import QRCode from 'qrcode'
import { claimLabel, flattenClaims, isTechnicalClaim, pathText, personalClaims, timeText, valueText } from './claims.js'
import { byId, h, replace } from './dom.js'
import { summarizeOffer } from './offer.js'
import type { OfferSummary } from './offer.js'
import { fitRequest, sendPresentation } from './openid4vp.js'
import type { RequestFit } from './openid4vp.js'

interface PageConfig {
  issuerUrl: string | null
  verifierUrl: string | null
}

const fetchFn: typeof fetch = (input, init) => globalThis.fetch(input, init)
const wallet = new Wallet({ handlers: defaultFormatHandlers(), fetch: fetchFn })

const FORMAT_NAMES: Record<string, string> = { 'dc+sd-jwt': 'SD-JWT VC', 'application/sd-cwt': 'SD-CWT' }

let selectedId: string | undefined
let offer: OfferSummary | undefined
let fit: RequestFit | undefined

// ---- messages ------------------------------------------------------------------------------

function errorText(e: unknown): string {
  if (isE2eidError(e)) return `${e.message} (${e.code})`
  return e instanceof Error ? e.message : String(e)
}

function notify(kind: 'info' | 'ok' | 'error', text: string): void {
  const n = byId('notice')
  n.className = `notice ${kind}`
  n.setAttribute('role', kind === 'error' ? 'alert' : 'status')
  n.textContent = text
}

// ---- credentials ---------------------------------------------------------------------------

function titleOf(c: StoredCredential): string {
  const d = c.metadata.display
  if (Array.isArray(d)) {
    const first = d[0] as { name?: unknown } | undefined
    if (typeof first?.name === 'string') return first.name
  }
  return c.credentialConfigurationId
}

function formatName(format: string): string {
  return FORMAT_NAMES[format] ?? format
}

function isDisclosable(c: StoredCredential, path: string): boolean {
  return c.disclosablePaths.some((p) => pathText(p) === path)
}

function valueAt(claims: Record<string, unknown>, path: ClaimPath): unknown {
  let cur: unknown = claims
  for (const s of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[String(s)] : undefined
  return cur
}

/** Fills `badge` with the credential's current status from its status list. */
async function showStatus(c: StoredCredential, badge: HTMLElement): Promise<void> {
  badge.textContent = 'checking status…'
  badge.className = 'badge'
  try {
    const s = await wallet.status(c.id)
    // Token Status List §7.1: 0 VALID, 1 INVALID (revoked for good), 2 SUSPENDED.
    const name = s.status === 1 ? 'revoked' : s.name.toLowerCase()
    badge.textContent = s.offline ? `${name} (offline)` : name
    badge.className = `badge status-${s.status === 0 ? 'valid' : 'bad'}`
    badge.title = `Token Status List ${s.uri}, index ${s.idx} (${s.format.toUpperCase()})`
  } catch (e) {
    const none = isE2eidError(e) && e.code === 'ERR_WALLET_NO_STATUS'
    badge.textContent = none ? 'no status list' : 'status unknown'
    badge.className = 'badge status-unknown'
    badge.title = errorText(e)
  }
}

function claimList(c: StoredCredential, claims: Record<string, unknown>): HTMLDListElement {
  const dl = h('dl', { class: 'claims' })
  for (const [path, value] of flattenClaims(personalClaims(claims))) {
    dl.append(h('dt', {}, path), h('dd', {}, value, isDisclosable(c, path) ? null : h('span', { class: 'tag', title: 'Always disclosed with this credential' }, 'always shown')))
  }
  return dl
}

async function renderList(): Promise<void> {
  const list = await wallet.list()
  const ul = byId<HTMLUListElement>('credential-list')
  byId('empty').hidden = list.length > 0
  replace(
    ul,
    ...list.map((c) => {
      const badge = h('span', { class: 'badge', 'data-role': 'status' })
      void showStatus(c, badge)
      const name = titleOf(c)
      return h(
        'li',
        { class: 'credential', 'data-id': c.id, 'aria-current': c.id === selectedId ? 'true' : undefined },
        h('h3', {}, name),
        h('p', { class: 'meta' }, h('span', { class: 'badge format' }, formatName(c.format)), ' ', badge, ' ', h('span', { class: 'issuer' }, `from ${c.issuer}`)),
        claimList(c, c.claims),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', 'aria-label': `Show ${name}`, onclick: () => void showDetail(c.id) }, 'Show'),
          h('button', { type: 'button', 'aria-label': `Present ${name}`, onclick: () => void openPresent(c.id) }, 'Present'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${name}`, onclick: () => void remove(c.id) }, 'Delete'),
        ),
      )
    }),
  )
}

async function showDetail(id: string): Promise<void> {
  const c = await wallet.get(id)
  selectedId = id
  const history = await wallet.history(id)
  const badge = h('span', { class: 'badge' })
  void showStatus(c, badge)
  byId('detail-h').textContent = titleOf(c)
  replace(
    byId('detail-body'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Format'), h('dd', {}, formatName(c.format)),
      h('dt', {}, 'Issuer'), h('dd', {}, c.issuer),
      h('dt', {}, 'Type'), h('dd', {}, c.metadata.vct ?? c.credentialConfigurationId),
      h('dt', {}, 'Status'), h('dd', {}, badge),
      h('dt', {}, 'Issued'), h('dd', {}, timeText(c.metadata.issuedAt)),
      h('dt', {}, 'Expires'), h('dd', {}, timeText(c.metadata.expiresAt)),
      h('dt', {}, 'Received'), h('dd', {}, timeText(c.receivedAt)),
    ),
    h('h3', {}, 'Claims'),
    claimTable(c),
    h('h3', {}, 'Presentations made'),
    history.length === 0
      ? h('p', { class: 'help' }, 'None yet.')
      : h('ul', { class: 'history' }, ...history.map((p) => h('li', {}, `${timeText(p.createdAt)} to ${p.aud}: `, p.disclosed.length === 0 ? 'no optional claims' : p.disclosed.map(pathText).join(', ')))),
    h('details', {}, h('summary', {}, 'Raw credential'), h('pre', { class: 'raw' }, c.raw)),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => void openPresent(c.id) }, 'Present this credential')),
  )
  byId('detail').hidden = false
  markSelected()
  byId('detail-h').scrollIntoView({ block: 'nearest' })
}

function claimTable(c: StoredCredential): HTMLTableElement {
  const rows = flattenClaims(personalClaims(c.claims))
  return h(
    'table',
    { class: 'claim-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Claim'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Disclosure'))),
    h('tbody', {}, ...rows.map(([path, value]) => h('tr', {}, h('th', { scope: 'row' }, path), h('td', {}, value), h('td', {}, isDisclosable(c, path) ? 'you choose' : 'always shown')))),
  )
}

function markSelected(): void {
  for (const li of byId('credential-list').querySelectorAll<HTMLElement>('li.credential')) {
    if (li.dataset.id === selectedId) li.setAttribute('aria-current', 'true')
    else li.removeAttribute('aria-current')
  }
}

async function remove(id: string): Promise<void> {
  const c = await wallet.get(id)
  if (!window.confirm(`Delete “${titleOf(c)}” and its key from this browser? This cannot be undone.`)) return
  await wallet.delete(id)
  if (selectedId === id) {
    selectedId = undefined
    byId('detail').hidden = true
    byId('present').hidden = true
  }
  notify('ok', `Deleted ${titleOf(c)}.`)
  await renderList()
}

// ---- receiving -----------------------------------------------------------------------------

function isLoopback(url: string): boolean {
  try {
    const u = new URL(url)
    return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]'
  } catch {
    return false
  }
}

async function previewOffer(): Promise<void> {
  const uri = byId<HTMLTextAreaElement>('offer-uri').value.trim()
  const box = byId('offer-preview')
  offer = undefined
  byId('tx-code-row').hidden = true
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
    offer = await summarizeOffer(uri, fetchFn)
  } catch (e) {
    replace(byId('offer-summary'), h('dt', {}, 'Offer'), h('dd', { class: 'error-text' }, errorText(e)))
    return
  }
  replace(
    byId('offer-summary'),
    h('dt', {}, 'Issuer'), h('dd', {}, offer.issuer),
    h('dt', {}, 'Credentials'), h('dd', {}, offer.configurationIds.join(', ')),
    h('dt', {}, 'Code needed'), h('dd', {}, offer.txCode === undefined ? 'no' : 'yes'),
  )
  if (offer.txCode !== undefined) showTxCode(offer.txCode)
}

function showTxCode(tx: NonNullable<OfferSummary['txCode']>): void {
  const input = byId<HTMLInputElement>('tx-code')
  input.inputMode = tx.inputMode === 'text' ? 'text' : 'numeric'
  if (tx.length !== undefined) input.maxLength = tx.length
  byId('tx-code-help').textContent = tx.description ?? `This offer is protected by a${tx.length === undefined ? '' : ` ${tx.length}-character`} code sent to you separately.`
  byId('tx-code-row').hidden = false
}

async function receive(event: Event): Promise<void> {
  event.preventDefault()
  const uri = byId<HTMLTextAreaElement>('offer-uri').value.trim()
  if (uri === '') {
    notify('error', 'Paste a credential offer first.')
    byId('offer-uri').focus()
    return
  }
  const txCode = byId<HTMLInputElement>('tx-code').value.trim()
  const button = byId<HTMLButtonElement>('receive')
  button.disabled = true
  notify('info', 'Receiving the credential: checking the issuer’s signature and that it is bound to a key of this wallet…')
  try {
    if (offer === undefined) await previewOffer()
    // http:// issuers are only accepted on loopback (local development, `e2eid up`).
    const insecure = offer !== undefined && isLoopback(offer.issuer)
    const stored = await wallet.receive(uri, { ...(txCode === '' ? {} : { txCode }), ...(insecure ? { allowInsecureUrls: true } : {}) })
    notify('ok', `Received ${stored.map(titleOf).join(', ')}.`)
    byId<HTMLFormElement>('offer-form').reset()
    byId('offer-preview').hidden = true
    byId('tx-code-row').hidden = true
    offer = undefined
    await renderList()
    if (stored[0] !== undefined) await showDetail(stored[0].id)
  } catch (e) {
    if (isE2eidError(e) && e.code === 'ERR_WALLET_TX_CODE_REQUIRED') {
      showTxCode(offer?.txCode ?? {})
      notify('error', 'This offer needs the transaction code you were given.')
      byId('tx-code').focus()
    } else notify('error', `Could not receive the credential: ${errorText(e)}`)
  } finally {
    button.disabled = false
  }
}

// ---- presenting ----------------------------------------------------------------------------

function mode(): 'openid4vp' | 'manual' {
  return byId<HTMLInputElement>('mode-manual').checked ? 'manual' : 'openid4vp'
}

function chosenPaths(): ClaimPath[] {
  const c = byId('claim-choices')
  return [...c.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((i) => JSON.parse(i.value) as ClaimPath)
}

async function openPresent(id: string): Promise<void> {
  if (selectedId !== id || byId('detail').hidden) await showDetail(id)
  const c = await wallet.get(id)
  fit = undefined
  byId('present-h').textContent = `Present ${titleOf(c)}`
  replace(byId('present-result'))
  const choices = byId('claim-choices')
  if (c.disclosablePaths.length === 0) replace(choices, h('p', { class: 'help' }, 'This credential has no optional claims.'))
  else {
    replace(
      choices,
      ...c.disclosablePaths.map((p, i) =>
        h(
          'div',
          { class: 'choice' },
          h('input', { type: 'checkbox', id: `claim-${i}`, value: JSON.stringify(p), onchange: () => void updatePreview() }),
          h('label', { for: `claim-${i}` }, h('span', { class: 'claim-name' }, pathText(p)), ' ', h('span', { class: 'claim-value' }, valueText(valueAt(c.claims, p)))),
        ),
      ),
    )
  }
  byId('present').hidden = false
  await applyRequest()
  byId('present-h').scrollIntoView({ block: 'start' })
}

/** Reads the OpenID4VP request (if any) and ticks the claims it asks for. */
async function applyRequest(): Promise<void> {
  const info = byId('vp-info')
  fit = undefined
  info.className = 'help'
  if (mode() === 'openid4vp' && selectedId !== undefined) {
    const uri = byId<HTMLTextAreaElement>('vp-request').value.trim()
    if (uri === '') info.textContent = config.verifierUrl === null ? 'Paste the request the verifier shows you.' : `Paste the request shown by the verifier (${config.verifierUrl}).`
    else {
      try {
        fit = fitRequest(uri, await wallet.get(selectedId))
        const asked = new Set(fit.requested.map((p) => JSON.stringify(p)))
        for (const box of byId('claim-choices').querySelectorAll<HTMLInputElement>('input[type=checkbox]')) box.checked = asked.has(box.value)
        info.textContent = `${new URL(fit.request.response_uri).origin} asks for: ${fit.requested.length === 0 ? 'no optional claims' : fit.requested.map(pathText).join(', ')}.`
      } catch (e) {
        info.className = 'help error-text'
        info.textContent = errorText(e)
      }
    }
  }
  byId('vp-fields').hidden = mode() !== 'openid4vp'
  byId('manual-fields').hidden = mode() !== 'manual'
  byId('sign').textContent = mode() === 'openid4vp' ? 'Sign and send' : 'Sign'
  await updatePreview()
}

/** Shows exactly what the presentation will disclose (wallet.preview: nothing is signed). */
async function updatePreview(): Promise<void> {
  if (selectedId === undefined) return
  const c = await wallet.get(selectedId)
  const paths = chosenPaths()
  const dl = byId('disclosure-preview')
  try {
    const p = await wallet.preview(selectedId, { paths })
    const shown = flattenClaims(personalClaims(p.claims))
    const technical = Object.entries(p.claims).filter(([k]) => isTechnicalClaim(k))
    replace(
      dl,
      ...shown.flatMap(([path, value]) => [h('dt', {}, path), h('dd', {}, value, isDisclosable(c, path) ? null : h('span', { class: 'tag' }, 'always shown'))]),
      h('dt', { class: 'technical' }, 'and'),
      h(
        'dd',
        { class: 'technical' },
        h(
          'details',
          {},
          h('summary', {}, `${technical.length} technical claims (issuer, validity, status reference, your public key), and a signature of your key over the audience and nonce`),
          h('dl', { class: 'claims' }, ...technical.flatMap(([k, v]) => [h('dt', {}, claimLabel(k)), h('dd', {}, valueText(v))])),
        ),
      ),
    )
    if (fit !== undefined) {
      const chosen = new Set(paths.map((x) => JSON.stringify(x)))
      const missing = fit.requested.filter((x) => !chosen.has(JSON.stringify(x)))
      if (missing.length > 0) dl.append(h('dt', { class: 'warn' }, 'Note'), h('dd', { class: 'warn' }, `the verifier asked for ${missing.map(pathText).join(', ')}; without it, it will likely refuse.`))
    }
  } catch (e) {
    replace(dl, h('dt', {}, 'Error'), h('dd', { class: 'error-text' }, errorText(e)))
  }
}

async function present(event: Event): Promise<void> {
  event.preventDefault()
  if (selectedId === undefined) return
  const id = selectedId
  const out = byId('present-result')
  const paths = chosenPaths()
  const button = byId<HTMLButtonElement>('sign')
  button.disabled = true
  try {
    if (mode() === 'openid4vp') {
      if (fit === undefined) {
        notify('error', 'Paste a valid request from the verifier first.')
        byId('vp-request').focus()
        return
      }
      notify('info', 'Signing and sending the presentation…')
      const sent = await sendPresentation(wallet, fit, id, paths, fetchFn)
      replace(
        out,
        h('p', { class: 'verdict ok', 'data-verdict': 'accepted' }, `✓ The verifier accepted the presentation (HTTP ${sent.status}).`),
        h('p', {}, `Disclosed: ${sent.presentation.disclosed.length === 0 ? 'no optional claims' : sent.presentation.disclosed.map(pathText).join(', ')}.`),
      )
      notify('ok', 'Presentation accepted.')
      byId<HTMLTextAreaElement>('vp-request').value = ''
      fit = undefined
    } else {
      const aud = byId<HTMLInputElement>('aud').value.trim()
      const nonce = byId<HTMLInputElement>('nonce').value.trim()
      if (aud === '') {
        notify('error', 'Enter the audience (the verifier’s identifier).')
        byId('aud').focus()
        return
      }
      const p = await wallet.present(id, { paths, aud, ...(nonce === '' ? {} : { nonce }) })
      const ta = h('textarea', { id: 'presentation-output', rows: 5, readonly: true, spellcheck: 'false', 'aria-label': 'Presentation' })
      ta.value = p.presentation
      replace(
        out,
        h('p', { class: 'verdict' }, `Signed an ${formatName(p.format)} presentation for ${aud}. Give it to the verifier:`),
        ta,
        h('button', { type: 'button', onclick: () => void navigator.clipboard?.writeText(p.presentation).then(() => notify('ok', 'Copied.'), () => notify('error', 'Copy failed; select the text instead.')) }, 'Copy'),
      )
      notify('ok', 'Presentation signed.')
    }
    await showDetail(id)
  } catch (e) {
    replace(out, h('p', { class: 'verdict bad', 'data-verdict': 'refused' }, `✗ ${errorText(e)}`))
    notify('error', `Presentation failed: ${errorText(e)}`)
  } finally {
    button.disabled = false
  }
}

/** Asks the configured verifier service for a fresh OpenID4VP request (POST /requests) and fills it in. */
async function fetchRequest(): Promise<void> {
  if (config.verifierUrl === null) return
  try {
    const r = await fetchFn(new URL('requests', config.verifierUrl.replace(/\/*$/, '/')), { method: 'POST' })
    const body = (await r.json()) as { request_uri?: unknown }
    if (!r.ok || typeof body.request_uri !== 'string') throw new Error(`the verifier answered HTTP ${r.status}`)
    byId<HTMLTextAreaElement>('vp-request').value = body.request_uri
    await applyRequest()
  } catch (e) {
    notify('error', `Could not get a request from ${config.verifierUrl}: ${errorText(e)}`)
  }
}

// ---- start ---------------------------------------------------------------------------------

let config: PageConfig = { issuerUrl: null, verifierUrl: null }

async function loadConfig(): Promise<void> {
  try {
    const r = await fetchFn('./config.json', { cache: 'no-store' })
    if (r.ok) {
      const c = (await r.json()) as Partial<PageConfig>
      config = { issuerUrl: typeof c.issuerUrl === 'string' ? c.issuerUrl : null, verifierUrl: typeof c.verifierUrl === 'string' ? c.verifierUrl : null }
    }
  } catch {
    // Served without config.json (e.g. `vite preview`): no suggestions.
  }
  byId('fetch-request').hidden = config.verifierUrl === null
  if (config.issuerUrl !== null) byId('offer-help').textContent = `Paste the offer your identity authority gave you (e.g. from ${config.issuerUrl}).`
}

async function start(): Promise<void> {
  byId('offer-form').addEventListener('submit', (e) => void receive(e))
  let timer: ReturnType<typeof setTimeout> | undefined
  byId('offer-uri').addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(() => void previewOffer(), 250)
  })
  byId('present-form').addEventListener('submit', (e) => void present(e))
  for (const id of ['mode-vp', 'mode-manual']) byId(id).addEventListener('change', () => void applyRequest())
  byId('vp-request').addEventListener('input', () => void applyRequest())
  byId('fetch-request').addEventListener('click', () => void fetchRequest())
  await loadConfig()
  await renderList()
  document.body.dataset.ready = 'true'
}

start().catch((e: unknown) => notify('error', `The wallet could not start: ${errorText(e)}`))
