/**
 * @module formats/status-list-tokens
 * Status List Token signers (draft-ietf-oauth-status-list §5 JWT, §6 CWT) over the encoders of
 * @e2eid/shared: `statuslist+jwt` for the lists SD-JWT VC credentials point at, `statuslist+cwt` for
 * SD-CWT credentials. `sub` = the token's URI, `iss` = the authority, `ttl` = how long to cache.
 */
import { STATUS_LIST_JWT_MEDIA_TYPE, StatusList, signStatusListCwt, signStatusListJwt } from '@e2eid/shared'
import type { StatusListCompression } from '@e2eid/shared'
import type { SignStatusListInput, StatusListTokenAdapter } from './types.js'

function common(i: SignStatusListInput, compression: StatusListCompression | undefined) {
  return {
    list: new StatusList(i.data, i.bits),
    sub: i.uri,
    iat: i.iat,
    exp: i.exp,
    ttl: i.ttl,
    key: { ...i.signingKey.privateJwk, kid: i.signingKey.kid },
    provider: i.crypto,
    ...(compression === undefined ? {} : { compression }),
  }
}

/** statuslist+jwt signer. */
export function createStatusListJwtAdapter(compression?: StatusListCompression): StatusListTokenAdapter {
  return {
    form: 'jwt',
    mediaType: STATUS_LIST_JWT_MEDIA_TYPE,
    sign: (i) => signStatusListJwt(common(i, compression)),
  }
}

/** statuslist+cwt signer (COSE_Sign1, tag 18, typ "application/statuslist+cwt"). */
export function createStatusListCwtAdapter(compression?: StatusListCompression): StatusListTokenAdapter {
  return {
    form: 'cwt',
    mediaType: 'application/statuslist+cwt',
    sign: (i) => signStatusListCwt(common(i, compression)),
  }
}
