/**
 * @module present/key-package
 * An MLS KeyPackage for a credential: a presentation whose `aud` is the KeyPackage audience of
 * specs/mls-profile.md §4, wrapped as the draft-mahy-mls-sd-cwt-credential Credential (sd_cwt or
 * sd_jwt), in a KeyPackage signed by the credential's holder key (the MLS signature key).
 */
import { SD_JWT_VC_FORMAT, hexDecode, mlsKeyPackageAudience } from '@e2eid/shared'
import { createMlsKeyPackage, encodeMlsKeyPackage, mlsCredentialFromPresentation } from '../mls/index.js'
import type { MlsKeyPackageBundle } from '../mls/index.js'
import type { Presentation, Wallet } from '../wallet.js'
import type { ClaimPath } from '../formats/types.js'

/** Options of {@link createCredentialKeyPackage}. */
export interface CredentialKeyPackageOptions {
  /** The messaging service URI (`aud` = `<service>/mls/key-packages`). Default: the credential issuer's origin. */
  service?: string
  /** Claims to disclose in the credential (default none beyond the always-visible ones). */
  paths?: ReadonlyArray<string | ClaimPath>
  nonce?: string
}

/** A KeyPackage and what it carries. */
export interface CredentialKeyPackage extends MlsKeyPackageBundle {
  /** `MLSMessage` bytes (wire_format mls_key_package). */
  encoded: Uint8Array
  presentation: Presentation
}

/** Builds an MLS KeyPackage for `credentialId` (the presentation is recorded in the history). */
export async function createCredentialKeyPackage(wallet: Wallet, credentialId: string, options: CredentialKeyPackageOptions = {}): Promise<CredentialKeyPackage> {
  const credential = await wallet.get(credentialId)
  const service = options.service ?? new URL(credential.issuer).origin
  const presentation = await wallet.present(credentialId, {
    paths: options.paths ?? [],
    aud: mlsKeyPackageAudience(service),
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
  })
  // SD-CWT presentations are hex of the KBT bytes; SD-JWT ones are compact text.
  const carried = credential.format === SD_JWT_VC_FORMAT ? presentation.presentation : hexDecode(presentation.presentation)
  const mlsCredential = mlsCredentialFromPresentation(carried)
  const signer = await wallet.signerFor(credential)
  const bundle = await signer.withPrivateKey((privateJwk) => createMlsKeyPackage({ credential: mlsCredential, privateJwk }))
  return { ...bundle, encoded: encodeMlsKeyPackage(bundle.keyPackage), presentation }
}
