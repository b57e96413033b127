/**
 * @module @e2eid/wallet/node
 * Node-only parts of the wallet (the CLI's folder persistence). The main entry stays browser-safe.
 */
export { openFileWallet, defaultWalletDir, WALLET_FILE, WRAPPING_KEY_FILE } from './node/file-store.js'
export type { FileWallet, OpenFileWalletOptions } from './node/file-store.js'
