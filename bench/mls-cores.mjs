/**
 * One row of `npm run bench` that is NOT on one core: validating 1,000 MLS leaf credentials with every core of the
 * machine (node:crypto on the libuv threadpool + the AuthenticationService's `prevalidate`). main.mjs starts this
 * script with the CPU affinity widened to all cores; it prints one JSON object (wall-clock figures: CPU time would
 * add the cores up) on its last line of stdout.
 */
import { availableParallelism, loadavg } from 'node:os'
import { bodies, makeFixtures } from './cases.mjs'

const MEMBERS = 1000
const runs = process.argv.includes('--quick') ? 2 : 5
const f = await makeFixtures({ members: MEMBERS, mlsP256: false })
const b = bodies(f)
if ((await b.mlsJoinAllCores()) !== MEMBERS) throw new Error('not every leaf validated') // warm-up, and a check
const ms = []
for (let i = 0; i < runs; i++) {
  const t = performance.now()
  await b.mlsJoinAllCores()
  ms.push(performance.now() - t)
}
const median = [...ms].sort((x, y) => x - y)[Math.floor(ms.length / 2)]
console.log(JSON.stringify({ ms: +median.toFixed(1), cores: availableParallelism(), threadpool: Number(process.env.UV_THREADPOOL_SIZE ?? 4), runs, loadavg_1m: +loadavg()[0].toFixed(2) }))
