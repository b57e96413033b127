/**
 * @module did/document
 * Building and reading DID documents (DID Core 1.0 §5): which keys a document lets sign credentials
 * (the `assertionMethod` relationship, §5.3.2).
 */
import type { DIDDocument, DIDResolutionResult, VerificationMethod } from 'did-resolver'
import { E2eidError } from '../errors.js'
import { parsePublicJwk } from '../crypto/jwk.js'
import type { PublicJwk } from '../crypto/jwk.js'
import { didKeyToJwk } from './did-key.js'

/** A resolution result carrying a one-key document (did:key, did:jwk). */
export function singleKeyDocument(did: string, vmId: string, jwk: PublicJwk): DIDResolutionResult {
  const didDocument: DIDDocument = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: [{ id: vmId, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { ...jwk } }],
    authentication: [vmId],
    assertionMethod: [vmId],
  }
  return { didResolutionMetadata: { contentType: 'application/did+json' }, didDocument, didDocumentMetadata: {} }
}

/** A failed resolution result (DID Resolution §7.1 error metadata). */
export function resolutionError(error: string, cause: unknown): DIDResolutionResult {
  const message = cause instanceof Error ? cause.message : String(cause)
  const code = cause instanceof E2eidError ? cause.code : undefined
  return { didResolutionMetadata: { error, message, code }, didDocument: null, didDocumentMetadata: {} }
}

/** A key from a DID document with the id of its verification method (the JOSE/COSE `kid` to match). */
export interface DidKey {
  id: string
  jwk: PublicJwk
}

function absoluteId(did: string, id: string): string {
  return id.startsWith('#') ? did + id : id
}

function methodJwk(vm: VerificationMethod): PublicJwk | undefined {
  if (vm.publicKeyJwk !== undefined) return parsePublicJwk(vm.publicKeyJwk)
  // Multikey / Ed25519VerificationKey2020 carry the did:key encoding in publicKeyMultibase.
  if (typeof vm.publicKeyMultibase === 'string') return didKeyToJwk(vm.publicKeyMultibase)
  return undefined
}

/**
 * The keys the DID subject uses to issue (assertionMethod), with their absolute ids. Methods of an unsupported
 * type are skipped; a document whose `id` is not `did` is refused (ERR_DID_DOCUMENT_INVALID).
 */
export function assertionKeys(did: string, doc: DIDDocument): DidKey[] {
  if (doc.id !== did) throw new E2eidError('ERR_DID_DOCUMENT_INVALID', `DID document id ${doc.id} is not ${did}`)
  const methods = new Map<string, VerificationMethod>()
  for (const vm of doc.verificationMethod ?? []) methods.set(absoluteId(did, vm.id), vm)
  const out: DidKey[] = []
  for (const ref of doc.assertionMethod ?? []) {
    const vm = typeof ref === 'string' ? methods.get(absoluteId(did, ref)) : ref
    if (vm === undefined) continue
    try {
      const jwk = methodJwk(vm)
      if (jwk !== undefined) out.push({ id: absoluteId(did, vm.id), jwk })
    } catch {
      // An unusable key is not a usable anchor; others in the document may still be.
    }
  }
  return out
}
