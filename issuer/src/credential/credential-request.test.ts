/**
 * OpenID4VCI 1.0 §8.2 Credential Request body checks of parseCredentialRequest (hand-written, issue 7):
 * the shapes the former zod schema refused are still invalid_credential_request, the valid ones parse.
 */
import { describe, expect, it } from 'vitest'
import { parseCredentialRequest } from './credential-request.js'

const proofs = { jwt: ['a.b.c'] }

describe('OpenID4VCI 1.0 §8.2 credential request body', () => {
  it('refuses a body that is not a JSON object, or identifiers / proofs of the wrong type or length, with invalid_credential_request', () => {
    const bad: unknown[] = [
      null,
      [],
      'x',
      42,
      [{ credential_configuration_id: 'c', proofs }],
      { credential_configuration_id: 1, proofs },
      { credential_configuration_id: null, proofs },
      { credential_configuration_id: '', proofs },
      { credential_configuration_id: 'c'.repeat(129), proofs },
      { credential_identifier: ['c'], proofs },
      { credential_configuration_id: 'c', proofs: [proofs] },
      { credential_configuration_id: 'c', proofs: 'jwt' },
      { credential_configuration_id: 'c', proofs: null },
    ]
    for (const body of bad) {
      expect(() => parseCredentialRequest(body, 4), JSON.stringify(body)).toThrow(expect.objectContaining({ body: expect.any(Function) }))
      try {
        parseCredentialRequest(body, 4)
      } catch (e) {
        expect([JSON.stringify(body), (e as { body(): { error: string } }).body().error]).toEqual([JSON.stringify(body), 'invalid_credential_request'])
      }
    }
  })

  it('parses either identifier (1..128 characters), ignores unknown parameters, and keeps the proofs', () => {
    expect(parseCredentialRequest({ credential_configuration_id: 'c'.repeat(128), proofs, extra: { any: 1 } }, 4)).toEqual({
      configurationId: 'c'.repeat(128),
      by: 'credential_configuration_id',
      jwtProofs: ['a.b.c'],
    })
    expect(parseCredentialRequest(JSON.parse('{"credential_identifier":"id-1","proofs":{"jwt":["x.y.z","p.q.r"]}}'), 4)).toEqual({
      configurationId: 'id-1',
      by: 'credential_identifier',
      jwtProofs: ['x.y.z', 'p.q.r'],
    })
  })

  it('reads the singular proof (drafts 13-15) as one jwt proof when accepted; refuses it with proofs, or when not accepted', () => {
    const proof = { proof_type: 'jwt', jwt: 'a.b.c' }
    expect(parseCredentialRequest({ credential_configuration_id: 'c', proof }, 4)).toEqual({ configurationId: 'c', by: 'credential_configuration_id', jwtProofs: ['a.b.c'] })
    expect(parseCredentialRequest({ credential_identifier: 'i', proof }, 4, { acceptLegacyProof: true })).toEqual({ configurationId: 'i', by: 'credential_identifier', jwtProofs: ['a.b.c'] })
    const codeOf = (body: unknown, acceptLegacyProof: boolean): unknown => {
      try {
        parseCredentialRequest(body, 4, { acceptLegacyProof })
      } catch (e) {
        const b = (e as { body(): { error: string; code?: string } }).body()
        return [b.error, b.code]
      }
      return 'parsed'
    }
    expect(codeOf({ credential_configuration_id: 'c', proof, proofs }, true)).toEqual(['invalid_credential_request', 'ERR_ISSUER_PROOF_AND_PROOFS'])
    expect(codeOf({ credential_configuration_id: 'c', proof, proofs }, false)).toEqual(['invalid_credential_request', 'ERR_ISSUER_PROOF_AND_PROOFS'])
    expect(codeOf({ credential_configuration_id: 'c', proof }, false)).toEqual(['invalid_credential_request', 'ERR_ISSUER_SINGULAR_PROOF'])
    expect(codeOf({ proof }, true)).toEqual(['invalid_credential_request', 'ERR_ISSUER_REQUEST_IDENTIFIER'])
    expect(codeOf({ credential_configuration_id: 'c', proof: { proof_type: 'cwt', cwt: 'x' } }, true)).toEqual(['invalid_proof', 'ERR_ISSUER_PROOF_TYPE'])
    expect(codeOf({ credential_configuration_id: 'c', proof: { proof_type: 'jwt', jwt: '' } }, true)).toEqual(['invalid_proof', 'ERR_ISSUER_PROOF_MISSING'])
    expect(codeOf({ credential_configuration_id: 'c', proof: 'a.b.c' }, true)).toEqual(['invalid_proof', 'ERR_ISSUER_PROOF_MALFORMED'])
  })
})
