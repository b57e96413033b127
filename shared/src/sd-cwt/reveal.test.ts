import { describe, expect, it } from 'vitest'
import type { HashAlgorithm } from '../crypto/algorithms.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { decodeCbor } from '../cbor/decode.js'
import { wrapBstr } from '../cbor/encode.js'
import { CborTag } from '../cbor/types.js'
import { REDACTED_CLAIM_KEYS, TAG_REDACTED_ELEMENT } from './constants.js'
import { redactedClaimHash } from './digest.js'
import { encodeDisclosure } from './disclosure.js'
import { revealClaims } from './reveal.js'

const node = createNodeCryptoProvider()
const salt = (n: number) => new Uint8Array(16).fill(n)

// Every digest starts with the same 4 bytes: a table keyed by a digest prefix would put all entries under one key;
// they must still be told apart by their full bytes (a chance or crafted prefix collision changes no answer).
const colliding = {
  digest(hash: HashAlgorithm, data: Uint8Array): Uint8Array {
    const d = node.digest(hash, data).slice()
    d.set([0xde, 0xad, 0xbe, 0xef], 0)
    return d
  },
}

function code(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    return (e as { code?: string }).code ?? String(e)
  }
  return 'no error'
}

describe('§9 step 8 disclosure matching is on whole digests', () => {
  const email = encodeDisclosure(salt(1), 'a@example.com', 'email')
  const name = encodeDisclosure(salt(2), 'Alice', 'name')
  const role = encodeDisclosure(salt(3), 'admin')
  const decoy = encodeDisclosure(salt(4))
  const hidden = encodeDisclosure(salt(5), 'secret', 'hidden')
  const h = (d: Uint8Array) => redactedClaimHash(d, 'SHA-256', colliding)
  const claims = () =>
    new Map<unknown, unknown>([
      [1, 'https://issuer.example'],
      [REDACTED_CLAIM_KEYS, [h(email), h(name), h(decoy), h(hidden)]],
      ['roles', ['user', new CborTag(TAG_REDACTED_ELEMENT, h(role))]],
    ])

  it('reveals each disclosure at its own digest when every digest shares the prefix, in any order', () => {
    for (const list of [[email, name, role, decoy], [decoy, role, name, email]]) {
      const r = revealClaims(claims(), list, { hash: 'SHA-256', provider: colliding, mode: 'verifier' })
      expect(r.claims).toEqual(new Map<unknown, unknown>([[1, 'https://issuer.example'], ['email', 'a@example.com'], ['name', 'Alice'], ['roles', ['user', 'admin']]]))
      expect(r.disclosures.map((d) => d.disclosure.bytes)).toEqual(list)
      // The digest with the same prefix and no disclosure stays hidden (verifier) ...
      expect(r.undisclosed.map((u) => u.digest)).toEqual([h(hidden)])
    }
    // ... and is missing in holder mode.
    expect(code(() => revealClaims(claims(), [email, name, role, decoy], { hash: 'SHA-256', provider: colliding, mode: 'holder' }))).toBe('ERR_SDCWT_MISSING_DISCLOSURE')
  })

  it('still finds a duplicate disclosure, an unused one and a digest listed twice within one chain', () => {
    const opts = { hash: 'SHA-256' as const, provider: colliding, mode: 'verifier' as const }
    expect(code(() => revealClaims(claims(), [email, name, email], opts))).toBe('ERR_SDCWT_DUPLICATE_DISCLOSURE')
    const orphan = encodeDisclosure(salt(6), 'x', 'orphan')
    expect(code(() => revealClaims(claims(), [email, orphan, name], opts))).toBe('ERR_SDCWT_UNUSED_DISCLOSURE')
    const twice = new Map<unknown, unknown>([[REDACTED_CLAIM_KEYS, [h(name), h(email), h(name)]]])
    expect(code(() => revealClaims(twice, [email, name], opts))).toBe('ERR_SDCWT_DUPLICATE_DIGEST')
  })

  it('a byte string that is a prefix or an extension of a digest matches nothing', () => {
    const d = h(email)
    const extended = new Uint8Array(d.length + 1)
    extended.set(d)
    for (const wrong of [d.subarray(0, 31), extended, new Uint8Array(0)]) {
      const c = new Map<unknown, unknown>([[REDACTED_CLAIM_KEYS, [wrong, d]]])
      const r = revealClaims(c, [email], { hash: 'SHA-256', provider: colliding, mode: 'verifier' })
      expect(r.claims.get('email')).toBe('a@example.com')
      expect(r.undisclosed.map((u) => u.digest)).toEqual([wrong])
    }
    // No disclosures at all: every digest stays hidden (4 in the map, 1 in the array).
    expect(revealClaims(claims(), [], { hash: 'SHA-256', provider: node, mode: 'verifier' }).undisclosed).toHaveLength(5)
  })

  it('a revealed label equal to a label of its map is refused wherever that label stands; 1 and "1" stay apart', () => {
    const opts = { hash: 'SHA-256' as const, provider: node, mode: 'verifier' as const }
    const d = encodeDisclosure(salt(7), 'x', 'email')
    const hd = redactedClaimHash(d, 'SHA-256', node)
    for (const c of [
      new Map<unknown, unknown>([['email', 'y'], [REDACTED_CLAIM_KEYS, [hd]]]),
      new Map<unknown, unknown>([[REDACTED_CLAIM_KEYS, [hd]], ['email', 'y']]),
      new Map<unknown, unknown>([['n', new Map<unknown, unknown>([[REDACTED_CLAIM_KEYS, [hd]], ['email', 'y']])]]),
    ]) {
      expect(code(() => revealClaims(c, [d], opts))).toBe('ERR_SDCWT_DUPLICATE_CLAIM')
    }
    const one = encodeDisclosure(salt(8), 'text one', '1')
    const r = revealClaims(new Map<unknown, unknown>([[REDACTED_CLAIM_KEYS, [redactedClaimHash(one, 'SHA-256', node)]], [1, 'int one']]), [one], opts)
    expect(r.claims).toEqual(new Map<unknown, unknown>([['1', 'text one'], [1, 'int one']]))
  })
})

describe('§3 Redacted Claim Hash of received bytes: hash(shortest bstr head || content), in place or copied', () => {
  it('equals the hash of wrapBstr(content) whatever precedes the content in its buffer, at every head size', () => {
    for (const n of [0, 1, 23, 24, 100, 255, 256, 1000, 65535, 65536]) {
      const content = new Uint8Array(n).map((_, i) => (i * 7 + 3) & 0xff)
      const expected = node.digest('SHA-256', wrapBstr(content))
      const framed = wrapBstr(content)
      const h = framed.length - n
      const views = [
        content, // at offset 0: nothing before it
        new Uint8Array(framed.buffer, h, n), // right after its own head (as the decoder returns it)
      ]
      // After a wrong head: the same bytes with the head's first byte or its length byte changed.
      for (const at of [0, h - 1]) {
        const bad = framed.slice()
        bad[at] = bad[at]! ^ 0x01
        views.push(new Uint8Array(bad.buffer, h, n))
      }
      // After an unrelated byte.
      const padded = new Uint8Array(n + 5)
      padded.set(content, 5)
      views.push(padded.subarray(5))
      for (const v of views) expect(redactedClaimHash(v, 'SHA-256', node)).toEqual(expected)
      // A decoded sd_claims element: the content as the strict decoder hands it out.
      const decoded = decodeCbor(framed) as Uint8Array
      expect(redactedClaimHash(decoded, 'SHA-256', node)).toEqual(expected)
    }
  })
})

