/**
 * @module mls/audience
 * e2eid's KBT / KB-JWT `aud` convention for MLS credentials (specs/mls-profile.md §4). The draft
 * (draft-mahy-mls-sd-cwt-credential-02 §3.1) only says `aud` represents "the MLS group, or a
 * higher-level application structure"; KeyPackages, which belong to no group yet, are left open.
 *
 * - in a group:     `<service>/mls/groups/<base64url(group_id)>`
 * - in a KeyPackage: `<service>/mls/key-packages`
 *
 * `service` is the messaging service's URI (e.g. `https://chat.example`), the realm the
 * identity authority's credentials are presented to.
 */
import { E2eidError } from '../errors.js'
import { base64urlEncode } from '../encoding/base64url.js'

function serviceBase(service: string): string {
  let u: URL
  try {
    u = new URL(service)
  } catch (e) {
    throw new E2eidError('ERR_MLS_SERVICE_INVALID', `service ${JSON.stringify(service)} is not an absolute URI`, { cause: e })
  }
  if (u.search !== '' || u.hash !== '') throw new E2eidError('ERR_MLS_SERVICE_INVALID', 'service URI must have no query or fragment')
  return service.replace(/\/+$/, '')
}

/** The `aud` a member uses for a credential presented inside the MLS group `groupId`. */
export function mlsGroupAudience(service: string, groupId: Uint8Array): string {
  if (groupId.length === 0) throw new E2eidError('ERR_MLS_GROUP_ID_INVALID', 'group_id is empty')
  return `${serviceBase(service)}/mls/groups/${base64urlEncode(groupId)}`
}

/** The `aud` a client uses for the credential in a KeyPackage it publishes to `service`. */
export function mlsKeyPackageAudience(service: string): string {
  return `${serviceBase(service)}/mls/key-packages`
}
