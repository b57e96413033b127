/**
 * Issue 15, the verifier's pages: the copy script is allowed by the hash in the CSP (and only it), the request page
 * has a QR code, an "open in a wallet" link and a copy button while pending, the verdict page has no link any more,
 * names CWT labels, shows dates in UTC, and says when the status list was fetched and whether from cache.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CWT_CLAIM_NAMES, claimDate, claimName } from './claim-names.js'
import { COPY_SCRIPT, COPY_SCRIPT_HASH, PAGE_CSP, sessionPage } from './html.js'
import type { Session, SessionResult } from './sessions.js'

const URI = 'openid4vp://?client_id=redirect_uri%3Ahttps%3A%2F%2Fverifier.example%2Fresponse&nonce=abc'

function session(result: SessionResult): Session {
  return { id: 'sid', request: {} as never, dcqlQuery: {} as never, createdAt: 1_800_000_000, expiresAt: 1_800_000_300, result, resultToken: 't', responseCode: undefined }
}

describe('verifier pages (issue 15)', () => {
  it('CSP: the copy script runs by its SHA-256 hash (CSP3 hash-source); no other script source is allowed', () => {
    const hash = createHash('sha256').update(COPY_SCRIPT).digest('base64')
    expect(COPY_SCRIPT_HASH).toBe(`'sha256-${hash}'`)
    expect(PAGE_CSP).toContain(`script-src ${COPY_SCRIPT_HASH};`)
    expect(PAGE_CSP).toContain("frame-ancestors 'none'")
    expect(PAGE_CSP).toContain("default-src 'none'")
  })

  it('pending request page: server-rendered SVG QR code, "open in a wallet" link, copy button, the script verbatim', () => {
    const html = sessionPage(session({ status: 'pending' }), URI, true)
    expect(html).toMatch(/<div class="qr" id="request-qr"><svg [^>]*viewBox="0 0 \d+ \d+"/)
    expect(html).toContain(`id="open-in-wallet" href="${URI.replace(/&/g, '&amp;')}"`)
    expect(html).toContain('data-copy="request-uri"')
    expect(html).toContain(`<script>${COPY_SCRIPT}</script>`)
    expect(html).toContain('2027-01-15 08:05:00 UTC') // expires_at 1 800 000 300
  })

  it('a request too long for any QR code says so instead of failing', () => {
    const html = sessionPage(session({ status: 'pending' }), `openid4vp://?x=${'a'.repeat(8000)}`, true)
    expect(html).toContain('too long for a QR code')
    expect(html).not.toContain('<svg')
  })

  it('verdict page: no "open in a wallet" link, CWT labels named, dates readable, status fetch time and cache', () => {
    const html = sessionPage(
      session({
        status: 'verified',
        presentations: [
          {
            queryId: 'sd_cwt',
            format: 'sd-cwt',
            issuer: 'https://issuer.example',
            credentialType: 'https://issuer.example/vct/x',
            claims: { '1': 'https://issuer.example', '4': 1_800_003_600, '6': 1_800_000_000, '65535': { status_list: { idx: 3, uri: 'https://issuer.example/sl/1' } }, org: 'example.com' },
            status: { status: 0, fromCache: true, offline: false, uri: 'https://issuer.example/sl/1', fetchedAt: 1_800_000_010 },
          },
        ],
      }),
      URI,
      true,
    )
    expect(html).not.toContain('open-in-wallet')
    expect(html).not.toContain('<script')
    expect(html).toContain('<span class="claim-name">iss</span><span class="claim-label">label 1</span>')
    expect(html).toContain('<span class="claim-name">exp</span><span class="claim-label">label 4</span>')
    expect(html).toContain('<span class="claim-name">status</span><span class="claim-label">label 65535</span>')
    expect(html).toContain('<span class="claim-name">org</span></td>')
    expect(html).toContain('<span class="claim-date">2027-01-15 09:00:00 UTC</span>')
    expect(html).toContain('list fetched 2027-01-15 08:00:10 UTC (from cache)')
    expect(html).toContain('badge status-valid')
  })

  it('a status answered by a fresh fetch says "fresh"; offline answers say so', () => {
    const p = (status: { status: number; fromCache: boolean; offline?: boolean; fetchedAt: number }) =>
      sessionPage(session({ status: 'verified', presentations: [{ queryId: 'q', format: 'dc+sd-jwt', issuer: 'i', credentialType: 't', claims: {}, status }] }), URI, true)
    expect(p({ status: 0, fromCache: false, fetchedAt: 1_800_000_000 })).toContain('list fetched 2027-01-15 08:00:00 UTC (fresh)')
    expect(p({ status: 0, fromCache: true, offline: true, fetchedAt: 1_800_000_000 })).toContain('could not be refreshed')
  })

  it('claim names: the registered CWT labels of RFC 8392, RFC 8747, SD-CWT and the status list', () => {
    expect(CWT_CLAIM_NAMES).toMatchObject({ '1': 'iss', '2': 'sub', '3': 'aud', '4': 'exp', '5': 'nbf', '6': 'iat', '7': 'cti', '8': 'cnf', '11': 'vct', '65535': 'status' })
    expect(claimName('org')).toEqual({ name: 'org', label: undefined })
    expect(claimDate('nbf', 0)).toBe('1970-01-01 00:00:00 UTC')
    expect(claimDate('org', 0)).toBeUndefined()
    expect(claimDate('exp', 'soon')).toBeUndefined()
    expect(claimDate('exp', 1e300)).toBeUndefined()
  })
})
