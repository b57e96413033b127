/**
 * Test helper of the fuzz harnesses (issue 8): runs a fast-check property over a decoder or parser and enforces the
 * three rules of the issue for every input:
 *
 * 1. only an E2eidError may come out (a result is fine too; any other exception fails the run with the input);
 * 2. no input takes over 100 ms (an input over the bound is timed again once: the machine is shared, so one pause is
 *    noise, but a pathological input is slow every time; the second timing fails the run only when this process
 *    also spent over 100 ms of CPU on it, so that other jobs holding the cores are not blamed on the input);
 * 3. bounded memory: the heap, sampled every 250 inputs, never grows more than `maxHeapGrowthMb` (default 256 MB)
 *    over its size at the start (judged after a full GC, so that uncollected garbage does not count).
 *
 * Runs: E2EID_FUZZ_RUNS (default 2000; `npm run fuzz` sets 100,000).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { isE2eidError } from '../../errors.js'

export const FUZZ_RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const MAX_MS_PER_INPUT = 100
/** Timeout for a fuzz test: the suite's 30 s, or 5 ms per input when that is more (100,000 runs: 500 s). */
export const FUZZ_TIMEOUT_MS = Math.max(30_000, FUZZ_RUNS * 5)

// A full GC before judging the heap: garbage not yet collected is not growth (V8 lets it pile up when idle).
setFlagsFromString('--expose_gc')
const gc = runInNewContext('gc') as () => void

export interface BoundedOptions {
  runs?: number
  maxMs?: number
  maxHeapGrowthMb?: number
  /** Codes that must not appear (e.g. a code that would mean "accepted something broken"). */
  forbiddenCodes?: readonly string[]
}

/** What one input gave: 'ok' (a result) or the E2eidError code. */
export type Outcome = 'ok' | string

async function once<T>(fn: (input: T) => unknown, input: T): Promise<{ outcome: Outcome; ms: number; cpuMs: number }> {
  const start = performance.now()
  const cpu = process.cpuUsage()
  let outcome: Outcome = 'ok'
  try {
    await fn(input)
  } catch (e) {
    if (!isE2eidError(e)) throw e
    outcome = e.code
  }
  const used = process.cpuUsage(cpu)
  return { outcome, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }
}

/**
 * Runs `fn` over `arb` with the rules above; resolves with how many inputs gave each outcome (so tests can check
 * that the run exercised both accepting and refusing paths).
 */
export async function fuzzBounded<T>(arb: fc.Arbitrary<T>, fn: (input: T) => unknown, o: BoundedOptions = {}): Promise<Map<Outcome, number>> {
  const maxMs = o.maxMs ?? MAX_MS_PER_INPUT
  const maxGrowth = (o.maxHeapGrowthMb ?? 256) * 1024 * 1024
  gc()
  const baseline = process.memoryUsage().heapUsed
  const outcomes = new Map<Outcome, number>()
  let n = 0
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      let r = await once(fn, input)
      // Slow once: time it again. Slow twice in wall time AND in this process's CPU time is the input's cost; slow in
      // wall time only means other processes held the (shared) cores meanwhile.
      if (r.ms > maxMs) r = await once(fn, input)
      if (r.ms > maxMs && r.cpuMs > maxMs) throw new Error(`input took ${r.ms.toFixed(1)} ms (${r.cpuMs.toFixed(1)} ms CPU) (> ${maxMs} ms), twice`)
      if (o.forbiddenCodes?.includes(r.outcome)) throw new Error(`forbidden outcome ${r.outcome}`)
      outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1)
      if (++n % 250 === 0 && process.memoryUsage().heapUsed - baseline > maxGrowth) {
        gc()
        const growth = process.memoryUsage().heapUsed - baseline
        if (growth > maxGrowth) throw new Error(`heap grew by ${(growth / 1048576).toFixed(0)} MB after ${n} inputs (after a full GC)`)
      }
    }),
    { numRuns: o.runs ?? FUZZ_RUNS },
  )
  return outcomes
}

/** Byte mutations of a valid input: flips, truncation, extension, splices. */
export function mutatedBytes(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.array(fc.tuple(fc.nat({ max: Math.max(0, valid.length - 1) }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => {
      const out = valid.slice()
      for (const [i, x] of flips) out[i] = (out[i] ?? 0) ^ x
      return out
    }),
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((tail) => {
      const out = new Uint8Array(valid.length + tail.length)
      out.set(valid)
      out.set(tail, valid.length)
      return out
    }),
    fc.tuple(fc.nat({ max: valid.length }), fc.nat({ max: valid.length }), fc.uint8Array({ maxLength: 32 })).map(([a, b, ins]) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      const out = new Uint8Array(lo + ins.length + (valid.length - hi))
      out.set(valid.subarray(0, lo))
      out.set(ins, lo)
      out.set(valid.subarray(hi), lo + ins.length)
      return out
    }),
  )
}

/** Character mutations of a valid text input (same four families as {@link mutatedBytes}, over UTF-16 units). */
export function mutatedText(valid: string, alphabet = 'AZaz09-_.~=+/{}[]":,\\ \u0000\u00e9'): fc.Arbitrary<string> {
  const ch = fc.constantFrom(...alphabet.split(''))
  return fc.oneof(
    fc.array(fc.tuple(fc.nat({ max: Math.max(0, valid.length - 1) }), ch), { minLength: 1, maxLength: 4 }).map((edits) => {
      const a = valid.split('')
      for (const [i, c] of edits) a[i] = c
      return a.join('')
    }),
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    fc.string({ minLength: 1, maxLength: 64 }).map((tail) => valid + tail),
    fc.tuple(fc.nat({ max: valid.length }), fc.nat({ max: valid.length }), fc.string({ maxLength: 32 })).map(([a, b, ins]) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      return valid.slice(0, lo) + ins + valid.slice(hi)
    }),
  )
}
