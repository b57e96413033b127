/**
 * @module service/html
 * The verifier service's small pages: start a request, show it (link and text of the openid4vp:// URI), and show
 * the verdict with the disclosed claims. Everything interpolated is escaped.
 */
import type { Session } from './sessions.js'

/** HTML-escapes text for element content and attribute values. */
function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function layout(title: string, body: string, refresh = false): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refresh ? '<meta http-equiv="refresh" content="2">' : ''}<title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}code,pre{word-break:break-all;white-space:pre-wrap;background:#f4f4f4;padding:.2rem}
.ok{color:#075}.bad{color:#a00}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}</style>
</head><body>${body}</body></html>`
}

/** The start page. */
export function homePage(): string {
  return layout(
    'e2eid verifier',
    `<h1>e2eid verifier</h1><p>Ask a wallet for a presentation (OpenID4VP 1.0, DCQL, direct_post).</p>
<form method="post" action="/requests?html=1"><button type="submit">New presentation request</button></form>`,
  )
}

/**
 * The page of one request: its URI while pending, the verdict afterwards, but the verdict only when `mayRead`
 * (the browser holds the request's result token); anyone else learns only that the request was answered.
 */
export function sessionPage(session: Session, uri: string, mayRead: boolean): string {
  const r = session.result
  let body = `<h1>Presentation request</h1><p>Open this in a wallet:</p><p><a href="${escapeHtml(uri)}">${escapeHtml(uri.slice(0, 60))}…</a></p>
<details><summary>Request URI</summary><pre>${escapeHtml(uri)}</pre></details>`
  if (r.status === 'pending') {
    body += `<p>Waiting for the wallet's response…</p>`
  } else if (!mayRead) {
    body += `<h2>Answered</h2><p>The verdict is shown only in the browser that created this request, or the one the wallet sent back here.</p>`
  } else if (r.status === 'rejected') {
    body += `<h2 class="bad">Rejected</h2><p><code>${escapeHtml(r.error.code)}</code> ${escapeHtml(r.error.message)}</p>`
  } else {
    body += `<h2 class="ok">Verified</h2>`
    for (const p of r.presentations) {
      const status = p.status === 'not-checked' ? 'not checked' : p.status.status === 0 ? 'valid' : `status ${p.status.status}`
      body += `<h3>${escapeHtml(p.queryId)} (${escapeHtml(p.format)})</h3><p>Issuer: <code>${escapeHtml(p.issuer ?? '-')}</code>; type: <code>${escapeHtml(p.credentialType ?? '-')}</code>; status: ${escapeHtml(status)}</p>
<table><tr><th>claim</th><th>value</th></tr>${Object.entries(p.claims)
        .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td><code>${escapeHtml(JSON.stringify(v))}</code></td></tr>`)
        .join('')}</table>`
    }
  }
  return layout('e2eid verifier: request', body, r.status === 'pending')
}
