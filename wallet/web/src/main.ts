/**
 * The browser wallet page: receive a credential from an OpenID4VCI offer, list the credentials with
 * their claims and current status (Token Status List), show one, present it with chosen claims
 * (previewed before anything is signed), delete it. All state is the wallet library's: Dexie on the
 * browser's IndexedDB, holder keys wrapped by a non-extractable WebCrypto AES-GCM key.
 */
import { actions, errorText, fetchFn, notify, page } from './app.js'
import type { PageConfig } from './app.js'
import { renderList } from './credentials.js'
import { byId } from './dom.js'
import { applyRequest, fetchRequest, openPresent, present } from './present.js'
import { answerAuthorizationResponse } from './authorize.js'
import { previewOffer, receive } from './receive.js'
import { confirmPresentAnyway, resetPresentAnyway } from './status-warning.js'

async function loadConfig(): Promise<void> {
  try {
    const r = await fetchFn('./config.json', { cache: 'no-store' })
    if (r.ok) {
      const c = (await r.json()) as Partial<PageConfig>
      page.config = { issuerUrl: typeof c.issuerUrl === 'string' ? c.issuerUrl : null, verifierUrl: typeof c.verifierUrl === 'string' ? c.verifierUrl : null }
    }
  } catch {
    // Served without config.json (e.g. `vite preview`): no suggestions.
  }
  byId('fetch-request').hidden = page.config.verifierUrl === null
  if (page.config.issuerUrl !== null) byId('offer-help').textContent = `Paste the offer your identity authority gave you (e.g. from ${page.config.issuerUrl}).`
}

async function start(): Promise<void> {
  actions.present = openPresent
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
  byId('present-anyway').addEventListener('click', () => {
    if (page.selectedId === undefined) return
    confirmPresentAnyway(page.selectedId)
    byId<HTMLFormElement>('present-form').requestSubmit()
  })
  byId('present-cancel').addEventListener('click', () => {
    resetPresentAnyway()
    notify('info', 'Not presented.')
  })
  await loadConfig()
  await renderList()
  document.body.dataset.ready = 'true'
}

// Loaded in the sign-in window on the way back from the authority: hand the answer over, do not start a wallet.
if (!answerAuthorizationResponse()) start().catch((e: unknown) => notify('error', `The wallet could not start: ${errorText(e)}`))
