import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createWebCryptoProvider, E2eidError } from '@e2eid/shared'
import { createMlsKeyPackage, encodeMlsKeyPackage, mlsCredentialFromPresentation } from '@e2eid/wallet'
import { decodeMlsFramedMessage, decodeMlsKeyPackage, decodeMlsMessage, decodeMlsWelcome } from '@e2eid/verifier'

const FUZZ_RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const KBT = Uint8Array.of(0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40)

function code(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof E2eidError) return e.code
    throw e
  }
  throw new Error('accepted')
}

describe('RFC 9420 §6 MLSMessage decoding from the delivery service', () => {
  it('decodes a KeyPackage and refuses trailing bytes, truncation and the wrong wire format', async () => {
    const { privateJwk } = await createWebCryptoProvider().generateKeyPair('EdDSA')
    const { keyPackage } = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(KBT), privateJwk })
    const bytes = encodeMlsKeyPackage(keyPackage)
    expect(decodeMlsKeyPackage(bytes).leafNode.signaturePublicKey).toEqual(keyPackage.leafNode.signaturePublicKey)
    expect(code(() => decodeMlsKeyPackage(Uint8Array.of(...bytes, 0)))).toBe('ERR_MLS_MESSAGE_MALFORMED')
    expect(code(() => decodeMlsKeyPackage(bytes.subarray(0, bytes.length - 1)))).toBe('ERR_MLS_MESSAGE_MALFORMED')
    expect(code(() => decodeMlsWelcome(bytes))).toBe('ERR_MLS_MESSAGE_WRONG_TYPE')
    expect(code(() => decodeMlsFramedMessage(bytes))).toBe('ERR_MLS_MESSAGE_WRONG_TYPE')
    expect(code(() => decodeMlsMessage(bytes, 10))).toBe('ERR_MLS_MESSAGE_TOO_LARGE')
  })

  it('fuzz decodeMlsMessage: random and mutated bytes give only E2eidError', async () => {
    const { privateJwk } = await createWebCryptoProvider().generateKeyPair('EdDSA')
    const seed = encodeMlsKeyPackage((await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(KBT), privateJwk })).keyPackage)
    const once = (b: Uint8Array): number => {
      const t0 = performance.now()
      try {
        decodeMlsMessage(b)
      } catch (e) {
        if (!(e instanceof E2eidError)) throw e
      }
      return performance.now() - t0
    }
    // under 100 ms per input; a slow first run is timed again so a GC pause or a busy core is not blamed on the input
    const only = (b: Uint8Array) => {
      if (once(b) >= 100) expect(once(b)).toBeLessThan(100)
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (rnd, muts) => {
        only(rnd)
        only(Uint8Array.of(0, 1, ...rnd))
        const m = seed.slice()
        for (const [i, v] of muts) m[i] = v
        only(m)
      }),
      { numRuns: FUZZ_RUNS },
    )
  }, Math.max(30_000, FUZZ_RUNS * 3))
})
