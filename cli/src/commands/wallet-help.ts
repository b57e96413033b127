/**
 * @module commands/wallet-help
 * The options and help of every `e2eid wallet` subcommand: the one source of both its parser and its `--help`.
 */
import { defineCommand } from '../command-help.js'

const JSON_OUT = { json: { type: 'boolean', desc: 'Print the result as one JSON value instead of text.' } } as const
const ALLOW_REVOKED = {
  'allow-revoked': {
    type: 'boolean',
    desc: "Use the credential even when its issuer's status list says revoked or suspended (otherwise refused with ERR_WALLET_CREDENTIAL_REVOKED or ERR_WALLET_CREDENTIAL_SUSPENDED).",
  },
} as const
const CREDENTIAL = { credential: { type: 'string', arg: 'ID', desc: "The stored credential's id (see e2eid wallet list); required." } } as const
const DISCLOSE = {
  disclose: { type: 'string', arg: 'PATH[,PATH...]', desc: 'The claims to disclose, as comma-separated dotted paths (e.g. email,address.country).', defaultIs: 'none' },
} as const
const NONCE = { nonce: { type: 'string', arg: 'HEX', desc: "The verifier's nonce, in hex, bound into the key binding token.", defaultIs: 'none' } } as const
const PREVIEW = { preview: { type: 'boolean', desc: 'Print what would be disclosed (paths and claims) as JSON, without signing or sending anything.' } } as const

const WALLET_DIR_NOTE = 'The wallet lives in the folder $E2EID_WALLET_DIR (default ~/.e2eid/wallet).'

/** Every `e2eid wallet` subcommand, its synopsis, summary and options. */
export const WALLET_HELP = {
  receive: defineCommand({
    usage: 'e2eid wallet receive OFFER_URI [--tx-code CODE] [--key-alg EdDSA|ES256] [--batch N] [--json] [--client-id ID] [--redirect-uri URI] [--trust-issuer URL]...',
    summary:
      'Receives the credential(s) of an OpenID4VCI credential offer and prints the new credential id. Secrets (pre-authorized code, ' +
      'tx code, sign-in) go only to a trusted issuer: one named by --trust-issuer or $E2EID_TRUSTED_ISSUERS, one trusted before, or one ' +
      'you confirm at the y/N prompt (a terminal only; remembered). An authorization code offer prints a login URL on stderr and waits ' +
      "for the browser's redirect on the loopback redirect URI (RFC 8252 §7.3).",
    options: {
      'tx-code': { type: 'string', arg: 'CODE', desc: 'The transaction code (tx_code) the issuer sent on another channel, when the offer asks for one.' },
      'key-alg': { type: 'string', arg: 'ALG', desc: "The algorithm of the holder key the credential is bound to: EdDSA or ES256.", defaultIs: 'EdDSA' },
      batch: { type: 'string', arg: 'N', desc: "How many credentials to ask for (1 to 100; batch issuance, OpenID4VCI §8.2), each bound to its own holder key, capped by the issuer's batch_size.", defaultIs: '1' },
      ...JSON_OUT,
      'client-id': { type: 'string', arg: 'ID', desc: "The wallet's OAuth client_id in the authorization code flow.", defaultIs: 'e2eid-cli' },
      'redirect-uri': {
        type: 'string',
        arg: 'URI',
        desc: 'The loopback redirect URI (http://127.0.0.1:PORT/PATH) the wallet listens on in the authorization code flow; register it at the issuer.',
        defaultIs: 'http://127.0.0.1:8765/callback',
      },
      'trust-issuer': {
        type: 'string',
        multiple: true,
        arg: 'URL',
        desc: 'An issuer to trust with the offer\'s secrets without asking (remembered); $E2EID_TRUSTED_ISSUERS adds more (comma or space separated).',
      },
    },
    notes: WALLET_DIR_NOTE,
  }),
  list: defineCommand({
    usage: 'e2eid wallet list [--json]',
    summary: 'Lists the stored credentials: id, format, issuer and configuration.',
    options: { ...JSON_OUT },
    notes: WALLET_DIR_NOTE,
  }),
  show: defineCommand({
    usage: 'e2eid wallet show ID',
    summary: 'Prints one stored credential (claims, status, metadata) as JSON.',
    options: { json: { type: 'boolean', desc: 'Accepted for symmetry with the other commands; show always prints JSON.' } },
    notes: WALLET_DIR_NOTE,
  }),
  present: defineCommand({
    usage: 'e2eid wallet present --credential ID --disclose PATH[,PATH...] --aud STR [--nonce HEX] [--preview] [--json] [--allow-revoked]',
    summary:
      'Prints a presentation of a stored credential: hex (SD-CWT with KBT) or compact text (SD-JWT VC with KB-JWT). ' +
      "It first fetches the credential's status and refuses a revoked or suspended one.",
    options: {
      ...CREDENTIAL,
      ...DISCLOSE,
      aud: { type: 'string', arg: 'STR', desc: 'The audience (the verifier) the key binding token is for; required unless --preview.' },
      ...NONCE,
      ...PREVIEW,
      json: { type: 'boolean', desc: 'Print format, presentation, disclosed paths and claims as one JSON object instead of the presentation alone.' },
      ...ALLOW_REVOKED,
    },
    notes: WALLET_DIR_NOTE,
  }),
  respond: defineCommand({
    usage: 'e2eid wallet respond OPENID4VP_URI [--preview] [--json] [--allow-revoked]',
    summary:
      'Answers an OpenID4VP request (DCQL, direct_post): picks the credential and the fewest claims that satisfy it and POSTs the vp_token. ' +
      "It first fetches the chosen credentials' status and refuses revoked or suspended ones.",
    options: { ...PREVIEW, ...JSON_OUT, ...ALLOW_REVOKED },
    notes: WALLET_DIR_NOTE,
  }),
  status: defineCommand({
    usage: 'e2eid wallet status ID [--json]',
    summary:
      "Prints the credential's current status from its issuer's Token Status List, in the issuer's words: valid, revoked or suspended (exit 1 for revoked and suspended).",
    options: { json: { type: 'boolean', desc: 'Print id, status name, state, value and the status list entry as one JSON object.' } },
    notes: WALLET_DIR_NOTE,
  }),
  'key-package': defineCommand({
    usage: 'e2eid wallet key-package --credential ID [--service URI] [--disclose PATH[,PATH...]] [--nonce HEX] [--allow-revoked]',
    summary:
      "Prints an MLS KeyPackage (MLSMessage, hex) whose leaf carries a presentation of the credential. It first fetches the credential's status and refuses a revoked or suspended one.",
    options: {
      ...CREDENTIAL,
      service: { type: 'string', arg: 'URI', desc: "The messaging service URI; the presentation's audience is <service>/mls/key-packages.", defaultIs: "the credential issuer's origin" },
      ...DISCLOSE,
      ...NONCE,
      ...ALLOW_REVOKED,
    },
    notes: WALLET_DIR_NOTE,
  }),
} as const
