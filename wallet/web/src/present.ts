/**
 * Presenting: the holder ticks the claims to disclose and sees exactly what the verifier will get
 * (wallet.preview, nothing signed) before signing; the presentation goes to a verifier's OpenID4VP
 * Response URI, or is shown for copying when the holder typed an audience and nonce.
 */
import type { ClaimPath } from '@e2eid/wallet'
import { errorText, fetchFn, notify, page, wallet } from './app.js'
import { claimLabel, flattenClaims, isTechnicalClaim, pathText, personalClaims, valueText } from './claims.js'
import { formatName, isDisclosable, showDetail, titleOf, valueAt } from './credentials.js'
import { byId, h, replace } from './dom.js'
import { fitRequest, sendPresentation } from './openid4vp.js'
import type { RequestFit } from './openid4vp.js'
import { checkPresentable, resetPresentAnyway } from './status-warning.js'

let fit: RequestFit | undefined

function mode(): 'openid4vp' | 'manual' {
  return byId<HTMLInputElement>('mode-manual').checked ? 'manual' : 'openid4vp'
}

function chosenPaths(): ClaimPath[] {
  const c = byId('claim-choices')
  return [...c.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((i) => JSON.parse(i.value) as ClaimPath)
}

export async function openPresent(id: string): Promise<void> {
  if (page.selectedId !== id || byId('detail').hidden) await showDetail(id)
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
  resetPresentAnyway()
  await applyRequest()
  // Warn as soon as a revoked or suspended credential is chosen for presenting.
  void checkPresentable(id)
  byId('present-h').scrollIntoView({ block: 'start' })
}

/** Reads the OpenID4VP request (if any) and ticks the claims it asks for. */
export async function applyRequest(): Promise<void> {
  const info = byId('vp-info')
  fit = undefined
  info.className = 'help'
  if (mode() === 'openid4vp' && page.selectedId !== undefined) {
    const uri = byId<HTMLTextAreaElement>('vp-request').value.trim()
    if (uri === '') info.textContent = page.config.verifierUrl === null ? 'Paste the request the verifier shows you.' : `Paste the request shown by the verifier (${page.config.verifierUrl}).`
    else {
      try {
        fit = fitRequest(uri, await wallet.get(page.selectedId))
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
  if (page.selectedId === undefined) return
  const c = await wallet.get(page.selectedId)
  const paths = chosenPaths()
  const dl = byId('disclosure-preview')
  try {
    const p = await wallet.preview(page.selectedId, { paths })
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

export async function present(event: Event): Promise<void> {
  event.preventDefault()
  if (page.selectedId === undefined) return
  const id = page.selectedId
  const out = byId('present-result')
  const paths = chosenPaths()
  const button = byId<HTMLButtonElement>('sign')
  button.disabled = true
  try {
    if (!(await checkPresentable(id, true))) {
      notify('error', 'Not presented: the issuer has revoked or suspended this credential. Choose "Present anyway" to present it all the same.')
      byId('present-anyway').focus()
      return
    }
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
        // OpenID4VP §8.2: the verifier's redirect_uri (with its single-use response_code) shows its verdict.
        sent.redirectUri === undefined ? null : h('p', {}, h('a', { href: sent.redirectUri, target: '_blank', rel: 'noopener noreferrer', id: 'verifier-verdict' }, 'See the verdict on the verifier’s page')),
      )
      notify('ok', 'Presentation accepted.')
      // A request is answered once (its state is single use): clear it, keep the verdict on screen.
      byId<HTMLTextAreaElement>('vp-request').value = ''
      fit = undefined
      byId('vp-info').textContent = 'Answered. Paste or ask for a new request to present again.'
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
  resetPresentAnyway()
}

/** Asks the configured verifier service for a fresh OpenID4VP request (POST /requests) and fills it in. */
export async function fetchRequest(): Promise<void> {
  if (page.config.verifierUrl === null) return
  try {
    const r = await fetchFn(new URL('requests', page.config.verifierUrl.replace(/\/*$/, '/')), { method: 'POST' })
    const body = (await r.json()) as { request_uri?: unknown }
    if (!r.ok || typeof body.request_uri !== 'string') throw new Error(`the verifier answered HTTP ${r.status}`)
    byId<HTMLTextAreaElement>('vp-request').value = body.request_uri
    await applyRequest()
  } catch (e) {
    notify('error', `Could not get a request from ${page.config.verifierUrl}: ${errorText(e)}`)
  }
}
