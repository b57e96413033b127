/**
 * @module @e2eid/wallet/node
 * Node-only parts of the wallet (the CLI's folder persistence). The main entry stays browser-safe.
 */
export { openFileWallet, defaultWalletDir, WALLET_FILE, WRAPPING_KEY_FILE } from './node/file-store.js'
export type { FileWallet, OpenFileWalletOptions } from './node/file-store.js'
// Browser wallet page (H10): Vite build and a loopback static server for `e2eid up`.
export { buildWalletPage, startWalletPageServer, WALLET_PAGE_DIST, WALLET_PAGE_VITE_CONFIG } from './node/web-page.js'
export type { BuildWalletPageOptions, StartWalletPageServerOptions, RunningWalletPage } from './node/web-page.js'
