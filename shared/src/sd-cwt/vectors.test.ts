import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { createWebCryptoProvider } from '../crypto/webcrypto.js'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import { encodeCbor } from '../cbor/encode.js'
import { toDiagnostic } from '../cbor/diagnostic.js'
import { readVectorBytes, readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { draftHolderPublic, draftIssuerPublic, expectedClaims, fromTaggedJson, verificationParams } from './test-helpers/sd-cwt-vectors.js'
import { verifyIssuedSdCwt, verifySdCwtPresentation } from './verify.js'

const dir = vectorDir('sd-cwt')
const node = createNodeCryptoProvider()
const web = createWebCryptoProvider()
const canonical = (v: unknown) => hexEncode(encodeCbor(v, { canonical: true }))

describe.skipIf(dir === undefined)('§9: every draft-07 and draft-08 token verifies and yields exactly expected-claims.json', () => {
  if (dir === undefined) return
  const expected = expectedClaims().results
  const params = verificationParams()
  for (const [file, exp] of Object.entries(expected)) {
    const isKbt = exp.kbt_payload_edn !== null
    it(`${file} (${isKbt ? 'KBT presentation' : 'issued SD-CWT'}, ${exp.disclosures_presented} disclosures)`, async () => {
      const bytes = readVectorBytes(`sd-cwt/${file}`)
      // The .hex twin holds the same bytes.
      expect(readVectorText(`sd-cwt/${file.replace(/\.cbor$/, '.hex')}`).trim()).toBe(hexEncode(bytes))
      for (const provider of [node, web]) {
        const common = { issuerKeys: [draftIssuerPublic()], provider, now: params.suggested_verifier_now }
        const r = isKbt
          ? await verifySdCwtPresentation(bytes, { ...common, aud: params.expected_kbt_aud, cnonce: hexDecode(params.expected_cnonce_hex) })
          : await verifyIssuedSdCwt(bytes, common)
        expect(canonical(r.claims)).toBe(canonical(fromTaggedJson(exp.json)))
        expect(r.disclosures.length).toBe(exp.disclosures_presented)
        expect(r.issuer).toBe('https://issuer.example')
        expect(r.holderKey).toEqual(draftHolderPublic())
        if ('kbtClaims' in r) expect(toDiagnostic(r.kbtClaims)).toBe(exp.kbt_payload_edn)
      }
    })
  }
})
