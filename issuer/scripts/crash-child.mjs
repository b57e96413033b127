// Crash-test worker (issue 8): a burst of issuance and status changes through the repository,
// printing one acknowledgement line per operation ONLY after it committed. The parent
// (crash-test.mjs) kill -9s this process mid-burst and checks the database against the acks.
//   I <credentialId> <statusListId> <statusIdx>   issuance committed
//   R <credentialId> <status>                     status change committed
// Environment: E2EID_CRASH_DB (db URL), E2EID_CRASH_SCHEMA (PostgreSQL schema, optional),
// E2EID_CRASH_PREFIX (credential id prefix of this round), E2EID_CRASH_LIST_SIZE,
// E2EID_CRASH_MODULE (module exporting openRepository; default ../dist/index.js).
import { pathToFileURL } from 'node:url'

const env = process.env
const modulePath = env.E2EID_CRASH_MODULE
const { openRepository } = await import(modulePath ? pathToFileURL(modulePath).href : new URL('../dist/index.js', import.meta.url).href)

const repo = await openRepository(env.E2EID_CRASH_DB, {
  statusListSize: Number(env.E2EID_CRASH_LIST_SIZE ?? 256),
  ...(env.E2EID_CRASH_SCHEMA ? { schema: env.E2EID_CRASH_SCHEMA } : {}),
})
try {
  await repo.createUser({ id: 'crash-user', claims: { name: 'Crash Test' }, passwordHash: null, createdAt: 1 })
} catch (e) {
  if (e?.code !== 'ERR_STORAGE_CONFLICT') throw e
}

const prefix = env.E2EID_CRASH_PREFIX ?? 'r0'
const unchanged = [] // issued in this round, status not yet changed (each credential changes at most once)
let n = 0
const now = () => Math.floor(Date.now() / 1000)
const ack = (line) => process.stdout.write(line + '\n')

async function worker() {
  for (;;) {
    const id = `${prefix}-${n++}`
    const c = await repo.recordIssuance({
      id, userId: 'crash-user', format: n % 2 ? 'sd-cwt' : 'dc+sd-jwt', credentialConfigurationId: 'crash',
      holderKeyThumbprint: `jkt-${id}`, listForm: n % 2 ? 'cwt' : 'jwt', issuedAt: now(), expiresAt: now() + 3600,
    })
    ack(`I ${c.id} ${c.statusListId} ${c.statusIdx}`)
    unchanged.push(c.id)
    if (Math.random() < 0.4 && unchanged.length > 0) {
      const [target] = unchanged.splice(Math.floor(Math.random() * unchanged.length), 1)
      const status = Math.random() < 0.75 ? 1 : 2
      await repo.setCredentialStatus(target, status, now())
      ack(`R ${target} ${status}`)
    }
  }
}

ack('ready')
// Several workers: on PostgreSQL several transactions are in flight when the kill lands.
await Promise.all(Array.from({ length: Number(env.E2EID_CRASH_WORKERS ?? 4) }, worker))
