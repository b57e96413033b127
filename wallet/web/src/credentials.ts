/**
 * The credential list and the detail view: claims (which ones the holder may withhold), the current
 * status from the issuer's Token Status List (verified by the wallet library), history, delete.
 */
import { isE2eidError } from '@e2eid/shared'
import type { ClaimPath, StoredCredential } from '@e2eid/wallet'
import { actions, errorText, notify, page, wallet } from './app.js'
import { flattenClaims, pathText, personalClaims, timeText } from './claims.js'
import { byId, h, replace } from './dom.js'

const FORMAT_NAMES: Record<string, string> = { 'dc+sd-jwt': 'SD-JWT VC', 'application/sd-cwt': 'SD-CWT' }

export function titleOf(c: StoredCredential): string {
  const d = c.metadata.display
  if (Array.isArray(d)) {
    const first = d[0] as { name?: unknown } | undefined
    if (typeof first?.name === 'string') return first.name
  }
  return c.credentialConfigurationId
}

export function formatName(format: string): string {
  return FORMAT_NAMES[format] ?? format
}

export function isDisclosable(c: StoredCredential, path: string): boolean {
  return c.disclosablePaths.some((p) => pathText(p) === path)
}

export function valueAt(claims: Record<string, unknown>, path: ClaimPath): unknown {
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

export async function renderList(): Promise<void> {
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
        { class: 'credential', 'data-id': c.id, 'aria-current': c.id === page.selectedId ? 'true' : undefined },
        h('h3', {}, name),
        h('p', { class: 'meta' }, h('span', { class: 'badge format' }, formatName(c.format)), ' ', badge, ' ', h('span', { class: 'issuer' }, `from ${c.issuer}`)),
        claimList(c, c.claims),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', 'aria-label': `Show ${name}`, onclick: () => void showDetail(c.id) }, 'Show'),
          h('button', { type: 'button', 'aria-label': `Present ${name}`, onclick: () => void actions.present(c.id) }, 'Present'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${name}`, onclick: () => void remove(c.id) }, 'Delete'),
        ),
      )
    }),
  )
}

export async function showDetail(id: string): Promise<void> {
  const c = await wallet.get(id)
  page.selectedId = id
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
      // SD-JWT VC §3.5: an issuer that signs as a DID; show the DID beside the URL it came from.
      ...(c.metadata.iss === undefined || c.metadata.iss === c.issuer ? [] : [h('dt', {}, 'Signed as'), h('dd', {}, c.metadata.iss)]),
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
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => void actions.present(c.id) }, 'Present this credential')),
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
    if (li.dataset.id === page.selectedId) li.setAttribute('aria-current', 'true')
    else li.removeAttribute('aria-current')
  }
}

async function remove(id: string): Promise<void> {
  const c = await wallet.get(id)
  if (!window.confirm(`Delete “${titleOf(c)}” and its key from this browser? This cannot be undone.`)) return
  await wallet.delete(id)
  if (page.selectedId === id) {
    page.selectedId = undefined
    byId('detail').hidden = true
    byId('present').hidden = true
  }
  notify('ok', `Deleted ${titleOf(c)}.`)
  await renderList()
}
