/**
 * @module service/html
 * The verifier service's small pages, in the wallet page's look (PAGE_STYLE): start a request; show it (QR code,
 * "open in a wallet" link, the openid4vp:// URI with a copy button) while it is pending; then the verdict with the
 * disclosed claims (CWT labels named, dates readable) and how current the status answer is. Everything
 * interpolated is escaped. The only script is the copy button's, allowed by its hash in the CSP ({@link PAGE_CSP}).
 */
import { PAGE_STYLE } from '@e2eid/shared'
import type { JsonValue } from '../claims/json.js'
import { claimDate, claimName, utcDate } from './claim-names.js'
import { qrSvg } from './qr-svg.js'
import type { Session, SessionPresentation } from './sessions.js'

/** HTML-escapes text for element content and attribute values. */
function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/**
 * The copy button's script: shows the buttons (hidden without script) and copies the text of the element named by
 * `data-copy`. Its SHA-256 is {@link COPY_SCRIPT_HASH} (checked by html.test.ts): change both together.
 */
export const COPY_SCRIPT = `for(const b of document.querySelectorAll('button[data-copy]')){b.hidden=false;b.addEventListener('click',()=>{const t=document.getElementById(b.dataset.copy)?.textContent??'';navigator.clipboard.writeText(t).then(()=>{b.textContent='Copied'},()=>{b.textContent='Copy failed: select the text below'})})}`
/** `'sha256-…'` source of {@link COPY_SCRIPT} (CSP3 §8.4 hash-source). */
export const COPY_SCRIPT_HASH = "'sha256-KXDgTQM08wWa5Zy82TqVD2dhVqxcNEdd40Pk7WzJoF0='"

/** The pages' Content-Security-Policy: nothing loaded, inline styles, the copy script by hash, never framed. */
export const PAGE_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src ${COPY_SCRIPT_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`

function layout(title: string, main: string, o: { refresh?: boolean; script?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${o.refresh === true ? '<meta http-equiv="refresh" content="3">' : ''}<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head><body>
<header class="top"><h1>e2eid verifier</h1><p class="sub">Asks a wallet for an identity credential (OpenID4VP 1.0, DCQL, direct_post) and checks it: issuer signature, key binding, policy, status.</p></header>
<main>${main}</main>${o.script === true ? `<script>${COPY_SCRIPT}</script>` : ''}
</body></html>`
}

/** The page of an unknown or expired request. */
export function notFoundPage(): string {
  return layout('e2eid verifier: not found', `<section class="card"><h2>Unknown or expired request</h2><p>Requests expire after a few minutes and are answered once. <a href="/">Start a new one</a>.</p></section>`)
}

/** The start page. */
export function homePage(): string {
  return layout(
    'e2eid verifier',
    `<section class="card" aria-labelledby="new-h"><h2 id="new-h">New presentation request</h2>
<p>Creates a request with a fresh nonce; its page shows a QR code and a link for the wallet, then the verdict.</p>
<form method="post" action="/requests?html=1"><button type="submit">New presentation request</button></form>
<p class="help">Applications create requests with <span class="claim-name">POST /requests</span> and read the verdict at <span class="claim-name">GET /results/:id</span>.</p></section>`,
  )
}

function statusText(p: SessionPresentation): string {
  if (p.status === 'not-checked') return '<span class="badge status-unknown">not checked</span> <span class="help">the credential has no status reference (or the policy skips it)</span>'
  const s = p.status
  const [cls, word] = s.status === 0 ? ['status-valid', 'valid'] : s.status === 1 ? ['status-bad', 'revoked'] : s.status === 2 ? ['status-bad', 'suspended'] : ['status-bad', `status ${s.status}`]
  let out = `<span class="badge ${cls}">${escapeHtml(word)}</span>`
  if (s.fetchedAt !== undefined) {
    const when = utcDate(s.fetchedAt) ?? String(s.fetchedAt)
    const source = s.offline === true ? 'from cache: the list could not be refreshed, answered until its exp' : s.fromCache ? 'from cache' : 'fresh'
    out += ` <span class="help" id="status-${escapeHtml(p.queryId)}">list fetched ${escapeHtml(when)} (${escapeHtml(source)})</span>`
  } else {
    out += ` <span class="help">${s.fromCache ? '(from cache)' : '(fresh)'}</span>`
  }
  if (s.uri !== undefined) out += `<br><span class="help claim-name">${escapeHtml(s.uri)}</span>`
  return out
}

function claimRow(key: string, value: JsonValue | undefined): string {
  const { name, label } = claimName(key)
  const date = claimDate(name, value)
  return `<tr><td><span class="claim-name">${escapeHtml(name)}</span>${label === undefined ? '' : `<span class="claim-label">label ${escapeHtml(label)}</span>`}</td>
<td><span class="claim-value">${escapeHtml(JSON.stringify(value))}</span>${date === undefined ? '' : `<span class="claim-date">${escapeHtml(date)}</span>`}</td></tr>`
}

function presentationCard(p: SessionPresentation): string {
  return `<h3>${escapeHtml(p.queryId)} <span class="badge format">${escapeHtml(p.format)}</span></h3>
<dl class="facts"><dt>Issuer</dt><dd class="claim-name">${escapeHtml(p.issuer ?? '-')}</dd><dt>Type</dt><dd class="claim-name">${escapeHtml(p.credentialType ?? '-')}</dd><dt>Status</dt><dd>${statusText(p)}</dd></dl>
<table class="claim-table"><thead><tr><th>claim</th><th>value</th></tr></thead><tbody>${Object.entries(p.claims)
    .map(([k, v]) => claimRow(k, v))
    .join('')}</tbody></table>`
}

/**
 * The page of one request: its QR code, link and URI while pending; the verdict afterwards, but the verdict only
 * when `mayRead` (the browser holds the request's result token); anyone else learns only that it was answered.
 * Once answered, the "open in a wallet" link is gone (the request is used up).
 */
export function sessionPage(session: Session, uri: string, mayRead: boolean): string {
  const r = session.result
  const uriBlock = `<details><summary>Request URI</summary><pre class="raw" id="request-uri">${escapeHtml(uri)}</pre></details>`
  if (r.status === 'pending') {
    const qr = qrSvg(uri, 'QR code of the presentation request')
    const expires = utcDate(session.expiresAt)
    const body = `<section class="card" aria-labelledby="req-h"><h2 id="req-h">Presentation request</h2>
<div class="request">${qr === undefined ? '<p class="help">The request is too long for a QR code: open or copy it.</p>' : `<div class="qr" id="request-qr">${qr}</div>`}
<div class="how"><p>Scan the QR code with a wallet, or open the request in a wallet on this device.</p>
<p><a class="button" id="open-in-wallet" href="${escapeHtml(uri)}">Open in a wallet</a> <button type="button" class="secondary" id="copy-request" data-copy="request-uri" hidden>Copy request</button></p>
${uriBlock}
<p class="help" role="status">Waiting for the wallet's response… (this page refreshes by itself)${expires === undefined ? '' : `; the request expires ${escapeHtml(expires)}`}.</p></div></div></section>`
    return layout('e2eid verifier: request', body, { refresh: true, script: true })
  }
  let verdict: string
  if (!mayRead) {
    verdict = `<h2>Answered</h2><p>The verdict is shown only in the browser that created this request, or the one the wallet sent back here.</p>`
  } else if (r.status === 'rejected') {
    verdict = `<h2 class="verdict bad" id="verdict">Rejected</h2><p><span class="claim-name error-text">${escapeHtml(r.error.code)}</span></p><p>${escapeHtml(r.error.message)}</p>`
  } else {
    verdict = `<h2 class="verdict ok" id="verdict">Verified</h2>${r.presentations.map(presentationCard).join('')}`
  }
  const body = `<section class="card" aria-labelledby="verdict">${verdict}</section>
<section class="card"><h2>Presentation request</h2><p class="help">Answered: this request cannot be used again. <a href="/">New request</a></p>${uriBlock}</section>`
  return layout('e2eid verifier: verdict', body)
}
