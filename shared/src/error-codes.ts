/**
 * @module error-codes
 * shared's error-code lists, one per area, gathered for the registry type ({@link SharedErrorCode}) and for the
 * generated table of every code (specs/errors.md). The other packages add theirs by declaration merging.
 */
import { CBOR_ERRORS } from './cbor/error-codes.js'
import { COSE_ERRORS } from './cose/error-codes.js'
import { CRYPTO_ERRORS } from './crypto/error-codes.js'
import { DCQL_ERRORS } from './dcql/error-codes.js'
import { DID_ERRORS } from './did/error-codes.js'
import { ENCODING_ERRORS } from './encoding/error-codes.js'
import { JOSE_ERRORS } from './jose/error-codes.js'
import { MLS_ERRORS } from './mls/error-codes.js'
import { SD_CWT_ERRORS } from './sd-cwt/error-codes.js'
import { SD_JWT_ERRORS } from './sd-jwt/error-codes.js'
import { STATUS_LIST_ERRORS } from './status-list/error-codes.js'

export { CBOR_ERRORS, COSE_ERRORS, CRYPTO_ERRORS, DCQL_ERRORS, DID_ERRORS, ENCODING_ERRORS, JOSE_ERRORS, MLS_ERRORS, SD_CWT_ERRORS, SD_JWT_ERRORS, STATUS_LIST_ERRORS }

/** shared's lists by area name (the table's "area" column). */
export const SHARED_ERROR_LISTS = {
  cbor: CBOR_ERRORS,
  cose: COSE_ERRORS,
  crypto: CRYPTO_ERRORS,
  dcql: DCQL_ERRORS,
  did: DID_ERRORS,
  encoding: ENCODING_ERRORS,
  jose: JOSE_ERRORS,
  mls: MLS_ERRORS,
  'sd-cwt': SD_CWT_ERRORS,
  'sd-jwt': SD_JWT_ERRORS,
  'status-list': STATUS_LIST_ERRORS,
} as const

/** A code of one of shared's areas. */
export type SharedErrorCode = { [A in keyof typeof SHARED_ERROR_LISTS]: keyof (typeof SHARED_ERROR_LISTS)[A] }[keyof typeof SHARED_ERROR_LISTS]
