/**
 * @module node/file-store
 * NODE ONLY (CLI). Keeps a wallet across process runs in a folder (E2EID_WALLET_DIR, default
 * ~/.e2eid/wallet): the Dexie database lives in fake-indexeddb while the process runs and is
 * loaded from / saved to `wallet.json` (dexie-export-import; atomic write: temp file + rename).
 *
 * Trade-off (documented in the README): a browser keeps its wrapping key as a NON-EXTRACTABLE
 * CryptoKey in IndexedDB, which no script can read. A CryptoKey cannot outlive a Node process, so
 * the CLI keeps the 32 raw AES-256 key bytes in a separate file `wrapping.key` with mode 0600 (in
 * a 0700 folder) and imports them as a non-extractable CryptoKey at start. Anyone who can read
 * that file (the same OS user, root, a backup) can unwrap the holder keys; `wallet.json` alone
 * cannot. The key file is never written into `wallet.json`.
 */
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { E2eidError } from '@e2eid/shared'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import type { CredentialFormatHandler } from '../formats/types.js'
import { importWrappingKey } from '../keys/wrap.js'
import { WALLET_DB_VERSION, WalletDb } from '../storage/schema.js'
import { Wallet } from '../wallet.js'
import type { CryptoProvider } from '@e2eid/shared'

/** File names inside the wallet folder. */
export const WALLET_FILE = 'wallet.json'
export const WRAPPING_KEY_FILE = 'wrapping.key'
const LOCK_FILE = 'wallet.lock'

const LOCK_WAIT_MS = 15_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'
  }
}

/**
 * One CLI invocation at a time per folder: the wallet is loaded, changed and saved as a whole,
 * so two concurrent writers would lose one's changes. The lock file holds the owner's pid; a lock
 * left by a dead process is taken over.
 */
async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE)
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o600)
      try {
        await fh.writeFile(String(process.pid))
      } finally {
        await fh.close()
      }
      return () => unlink(path).catch(() => undefined)
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim())
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !alive(owner)) {
      await unlink(path).catch(() => undefined)
      continue
    }
    if (Date.now() > deadline) throw new E2eidError('ERR_WALLET_LOCKED', `${path} is held by process ${String(owner)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The wallet folder: `E2EID_WALLET_DIR`, else `~/.e2eid/wallet`. */
export function defaultWalletDir(env: Record<string, string | undefined> = process.env): string {
  const d = env.E2EID_WALLET_DIR
  return d !== undefined && d !== '' ? d : join(homedir(), '.e2eid', 'wallet')
}

/** Minimal FileReader for dexie-export-import's import path (it reads Blobs with readAsArrayBuffer). */
class NodeFileReader {
  result: ArrayBuffer | null = null
  error: unknown = null
  onload: ((ev: { target: NodeFileReader }) => void) | null = null
  onerror: ((ev: { target: NodeFileReader }) => void) | null = null
  onabort: ((ev: { target: NodeFileReader }) => void) | null = null
  readAsArrayBuffer(blob: Blob): void {
    blob.arrayBuffer().then(
      (b) => {
        this.result = b
        this.onload?.({ target: this })
      },
      (e: unknown) => {
        this.error = e
        this.onerror?.({ target: this })
      },
    )
  }
}

async function exportImport(): Promise<typeof import('dexie-export-import')> {
  // dexie-export-import reads `self` and `FileReader` at load / import time (browser globals).
  const g = globalThis as Record<string, unknown>
  g.self ??= globalThis
  g.FileReader ??= NodeFileReader
  return import('dexie-export-import')
}

async function loadWrappingKey(dir: string): Promise<CryptoKey> {
  const path = join(dir, WRAPPING_KEY_FILE)
  let raw: Uint8Array
  try {
    const st = await stat(path)
    if ((st.mode & 0o077) !== 0) {
      throw new E2eidError('ERR_WALLET_KEY_FILE_PERMISSIONS', `${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}); run chmod 600`)
    }
    raw = new Uint8Array(await readFile(path))
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e
    raw = new Uint8Array(randomBytes(32))
    // 'wx': never overwrite a key another process just created.
    const fh = await open(path, 'wx', 0o600)
    try {
      await fh.writeFile(raw)
      await fh.sync()
    } finally {
      await fh.close()
    }
  }
  try {
    return await importWrappingKey(raw)
  } finally {
    raw.fill(0)
  }
}

/** A wallet bound to a folder. Call {@link FileWallet.save} after changes, then {@link FileWallet.close}. */
export interface FileWallet {
  wallet: Wallet
  dir: string
  /** Writes the database to `wallet.json` atomically. */
  save(): Promise<void>
  /** Closes the database and releases the folder lock. */
  close(): Promise<void>
}

/** Options of {@link openFileWallet}. */
export interface OpenFileWalletOptions {
  dir?: string
  handlers: readonly CredentialFormatHandler[]
  provider?: CryptoProvider
  fetch?: typeof fetch
  now?: () => number
}

/** Opens (creating if needed) the wallet stored in `dir`. */
export async function openFileWallet(options: OpenFileWalletOptions): Promise<FileWallet> {
  const dir = options.dir ?? defaultWalletDir()
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const release = await acquireLock(dir)
  try {
    return await openLocked(dir, options, release)
  } catch (e) {
    await release()
    throw e
  }
}

async function openLocked(dir: string, options: OpenFileWalletOptions, release: () => Promise<void>): Promise<FileWallet> {
  const wrappingKey = await loadWrappingKey(dir)
  const indexedDB = new IDBFactory()
  const name = 'e2eid-wallet'
  const file = join(dir, WALLET_FILE)
  let text: string | undefined
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e
  }
  if (text !== undefined) {
    const { importInto, peakImportFile } = await exportImport()
    const blob = new Blob([text])
    let version: number
    try {
      version = (await peakImportFile(blob)).data.databaseVersion
    } catch (e) {
      throw new E2eidError('ERR_WALLET_FILE_INVALID', `${file} is not a wallet export`, { cause: e })
    }
    if (!Number.isInteger(version) || version < 1 || version > WALLET_DB_VERSION) {
      throw new E2eidError('ERR_WALLET_FILE_INVALID', `${file} has unsupported schema version ${String(version)}`)
    }
    // Import at the file's own version, then reopen at the current one so the upgrade functions run.
    const old = new WalletDb(name, { indexedDB, IDBKeyRange, version: version as 1 | 2 })
    await old.open()
    await importInto(old, blob, { acceptVersionDiff: false, overwriteValues: true })
    old.close()
  }
  const db = new WalletDb(name, { indexedDB, IDBKeyRange })
  await db.open()
  const wallet = new Wallet({
    db,
    handlers: options.handlers,
    wrappingKey: async () => wrappingKey,
    ...(options.provider === undefined ? {} : { provider: options.provider }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  return {
    wallet,
    dir,
    async save() {
      const { exportDB } = await exportImport()
      // `meta` holds the browser's CryptoKey (the CLI's key lives in its own file): of it, only the
      // trusted-issuer list is saved (oid4vci/issuer-trust.ts).
      const blob = await exportDB(db, { filter: (table, value) => table !== 'meta' || (value as { name?: unknown }).name === 'trustedIssuers' })
      const tmp = join(dir, `.${WALLET_FILE}.${randomBytes(6).toString('hex')}.tmp`)
      const fh = await open(tmp, 'wx', 0o600)
      try {
        await fh.writeFile(await blob.text())
        await fh.sync()
      } finally {
        await fh.close()
      }
      try {
        await rename(tmp, file)
      } catch (e) {
        await unlink(tmp).catch(() => undefined)
        throw e
      }
      await chmod(file, 0o600)
    },
    async close() {
      db.close()
      await release()
    },
  }
}
