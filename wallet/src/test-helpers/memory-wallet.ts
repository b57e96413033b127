/** Test helper: a wallet on a fresh in-memory fake-indexeddb. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import type { CredentialFormatHandler } from '../formats/types.js'
import { Wallet } from '../wallet.js'
import type { WalletOptions } from '../wallet.js'
import { WalletDb } from '../storage/schema.js'

let n = 0

/** A wallet in memory with the given handlers. */
export function memoryWallet(handlers: readonly CredentialFormatHandler[], extra: Partial<WalletOptions> = {}): Wallet {
  const db = new WalletDb(`test-wallet-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange })
  return new Wallet({ db, handlers, ...extra })
}

/** A fetch that answers from a route table (exact URL → JSON body), 404 otherwise. */
export function jsonRoutes(routes: Record<string, unknown>): typeof fetch {
  return async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (!(url in routes)) return new Response('not found', { status: 404 })
    return new Response(JSON.stringify(routes[url]), { headers: { 'Content-Type': 'application/json' } })
  }
}
