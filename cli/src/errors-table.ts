/**
 * @module errors-table
 * specs/errors.md, generated from every area's error list (shared's areas, issuer, wallet, verifier, cli): each code,
 * the area that throws it, its HTTP status where it crosses HTTP, and what it means. errors-table.test.ts checks
 * that the checked-in file is current.
 */
import { SHARED_ERROR_LISTS } from '@e2eid/shared'
import type { ErrorInfo } from '@e2eid/shared'
import { ISSUER_ERRORS } from '@e2eid/issuer'
import { WALLET_ERRORS } from '@e2eid/wallet'
import { VERIFIER_ERRORS } from '@e2eid/verifier'
import { CLI_ERRORS, CLI_ERROR_PATTERNS } from './error-codes.js'

/** Every list by area, in table order. */
export const ERROR_LISTS: Readonly<Record<string, Readonly<Record<string, ErrorInfo>>>> = {
  ...Object.fromEntries(Object.entries(SHARED_ERROR_LISTS).map(([area, list]) => [`shared/${area}`, list])),
  issuer: ISSUER_ERRORS,
  wallet: WALLET_ERRORS,
  verifier: VERIFIER_ERRORS,
  cli: { ...CLI_ERRORS, ...CLI_ERROR_PATTERNS },
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s+/g, ' ')
}

/** The Markdown of specs/errors.md. */
export function errorsTable(): string {
  const rows: string[] = []
  let count = 0
  for (const [area, list] of Object.entries(ERROR_LISTS)) {
    for (const [code, info] of Object.entries(list).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      rows.push(`| \`${code}\` | ${area} | ${info.status ?? ''} | ${cell(info.meaning)} |`)
      count++
    }
  }
  return `# Error codes

<!-- Generated from the error lists (shared/src/<area>/error-codes.ts, issuer/src/error-codes.ts,
wallet/src/error-codes.ts, verifier/src/errors.ts, cli/src/error-codes.ts) by cli/src/errors-table.ts.
Do not edit: change the list, then run  E2EID_WRITE_ERRORS_TABLE=1 npx vitest run cli/src/errors-table.test.ts -->

Every rejection in e2eid is an \`E2eidError\` with one of these ${count} stable codes. Branch on the code, never on the
message. The CLI prints \`{"error":{"code","message"}}\`; the issuer's HTTP errors are OAuth 2.0 / OpenID4VCI
\`{"error","error_description","code"}\` and the verifier service's \`{"error","error_description"}\`.

**HTTP** is the status a code is answered with when it crosses HTTP by itself (the issuer answers an E2eidError without
one with 400; a DPoP failure at a resource endpoint is 401). Empty: the code is not an HTTP answer of its own (a
verification verdict, a CLI or library refusal) or takes the status of the request that failed.

| Code | Area | HTTP | Meaning |
| --- | --- | --- | --- |
${rows.join('\n')}
`
}
