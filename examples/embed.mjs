// Embedding e2eid in a Node.js app: an identity authority, a holder's wallet and a verifier, on loopback.
// Run it against the installed packages (`npm install @e2eid/issuer @e2eid/wallet @e2eid/verifier @e2eid/shared`):
//   node embed.mjs
// `npm run pack:check` installs the packed tarballs into a fresh project and runs this file there.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { startIssuerServer } from '@e2eid/issuer'
import { defaultFormatHandlers } from '@e2eid/wallet'
import { openFileWallet } from '@e2eid/wallet/node'
import { createHttpClient, createStatusChecker, createTrustStore, verifyPresentation } from '@e2eid/verifier'

const dir = mkdtempSync(join(tmpdir(), 'e2eid-embed-'))
const provider = createNodeCryptoProvider()
const adminToken = Buffer.from(provider.randomBytes(32)).toString('hex')

// 1. The identity authority (OpenID4VCI 1.0), SQLite in `dir`, on a free loopback port.
const issuer = await startIssuerServer({ port: 0, stateDir: join(dir, 'issuer'), adminToken })
const admin = async (path, body) => {
  const res = await fetch(`${issuer.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}
await admin('/admin/users', { id: 'alice', claims: { sub: 'mimi://example.com/u/alice', name: 'Alice', email: 'alice@example.com' } })
const offer = await admin('/admin/offers', { user_id: 'alice', credential_configuration_id: 'mimi_identity_sd_jwt', tx_code: true })

// 2. Alice's wallet receives the credential (the transaction code reaches her out of band).
const fw = await openFileWallet({ dir: join(dir, 'wallet'), handlers: defaultFormatHandlers({ provider }), provider })
await fw.wallet.trustIssuer(issuer.issuerUrl) // the wallet sends offer secrets only to issuers it trusts
const [credential] = await fw.wallet.receive(offer.offer_uri, { txCode: offer.tx_code, allowInsecureUrls: true })

// 3. She presents her e-mail address only, bound to the verifier's audience and nonce.
const aud = 'https://chat.example'
const nonce = Buffer.from(provider.randomBytes(16)).toString('base64url')
const presentation = await fw.wallet.present(credential.id, { paths: [['email']], aud, nonce })
await fw.close()

// 4. The verifier trusts the authority (keys from its JWT VC Issuer Metadata) and checks its status list.
const http = createHttpClient({ allowInsecureLoopback: true })
const trust = createTrustStore({ authorities: [{ issuer: issuer.issuerUrl, sources: [{ type: 'jwt_vc_issuer' }] }], http })
const verified = await verifyPresentation(
  presentation.presentation,
  { aud, nonce, requireKeyBinding: true, status: 'required', credentialTypes: [`${issuer.issuerUrl}/vct/mimi_identity_sd_jwt`] },
  { trust, provider, status: createStatusChecker({ http, provider }) },
)
console.log(JSON.stringify({ ok: true, disclosed: verified.claims }))

await issuer.close()
rmSync(dir, { recursive: true, force: true })
