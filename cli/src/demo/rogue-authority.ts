/**
 * @module demo/rogue-authority
 * The messaging provider's own "identity authority": the same issuer software, in-process (no socket,
 * in-memory SQLite), under an identifier the members do not trust. It issues the provider a perfectly
 * well-formed credential that claims to be Alice, bound to the provider's own key.
 */
import { join } from 'node:path'
import type { CryptoProvider } from '@e2eid/shared'
import { createIssuerApp, openSqliteRepository, resolveIssuerConfig, setAdminToken } from '@e2eid/issuer'
import { createCredentialKeyPackage, defaultFormatHandlers } from '@e2eid/wallet'
import type { CredentialKeyPackage } from '@e2eid/wallet'
import { openFileWallet } from '@e2eid/wallet/node'
import { SD_JWT_CONFIGURATION, demoIssuerConfig } from './authority.js'

/** The provider's authority identifier (never listed in the members' trust store). */
export const ROGUE_ISSUER = 'https://id.chat.example'

/** Options of {@link rogueKeyPackage}. */
export interface RogueKeyPackageOptions {
  /** The claims the forged identity carries (e.g. Alice's sub, name and org). */
  claims: Record<string, string>
  /** What the KeyPackage discloses. */
  discloses: readonly string[]
  service: string
  provider: CryptoProvider
  /** Folder for the provider's wallet. */
  dir: string
}

/** Issues the forged credential over OpenID4VCI (in-process) and wraps it in a KeyPackage signed by the provider's key. */
export async function rogueKeyPackage(o: RogueKeyPackageOptions): Promise<CredentialKeyPackage> {
  const repository = await openSqliteRepository(':memory:')
  try {
    const app = createIssuerApp({ repository, issuerUrl: ROGUE_ISSUER, crypto: o.provider, config: resolveIssuerConfig(demoIssuerConfig(300)) })
    const token = await setAdminToken(repository, o.provider)
    const admin = async (path: string, body: unknown): Promise<unknown> => {
      const res = await app.request(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      if (res.status !== 201) throw new Error(`rogue authority ${path}: HTTP ${res.status} ${await res.text()}`)
      return res.json()
    }
    await admin('/admin/users', { id: 'alice', claims: o.claims })
    const offer = (await admin('/admin/offers', { user_id: 'alice', credential_configuration_id: SD_JWT_CONFIGURATION, tx_code: false })) as { offer_uri: string }
    const wallet = await openFileWallet({
      dir: join(o.dir, 'provider'),
      handlers: defaultFormatHandlers({ provider: o.provider }),
      provider: o.provider,
      fetch: async (input, init) => app.request(input instanceof Request ? input : new Request(String(input), init)),
    })
    try {
      // The provider trusts its own authority (wallets send offer secrets only to trusted issuers).
      await wallet.wallet.trustIssuer(ROGUE_ISSUER)
      const [credential] = await wallet.wallet.receive(offer.offer_uri)
      if (credential === undefined) throw new Error('the rogue authority issued nothing')
      return await createCredentialKeyPackage(wallet.wallet, credential.id, { service: o.service, paths: o.discloses })
    } finally {
      await wallet.close()
    }
  } finally {
    await repository.close()
  }
}
