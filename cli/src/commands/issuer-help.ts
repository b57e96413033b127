/**
 * @module commands/issuer-help
 * The options and help of every `e2eid issuer` subcommand: the one source of both its parser and its `--help`.
 */
import { LOG_LEVEL_OPTION, defineCommand } from '../command-help.js'

/** Options of every admin command (all but serve): where the issuer runs and how to authenticate. */
const ADMIN_OPTIONS = {
  url: { type: 'string', arg: 'URL', desc: "The running issuer's base URL.", defaultIs: 'http://127.0.0.1:8080' },
  'admin-token': {
    type: 'string',
    arg: 'TOKEN',
    desc: 'The bearer token of the admin API.',
    defaultIs: "$E2EID_ADMIN_TOKEN, else the admin-token file 'e2eid issuer serve' wrote in the state folder",
  },
  'state-dir': {
    type: 'string',
    arg: 'DIR',
    desc: "The issuer's state folder, read only to find its admin-token file when no token is given.",
    defaultIs: '$E2EID_HOME/issuer, else ~/.e2eid/issuer',
  },
  json: { type: 'boolean', desc: 'Print the result as one JSON value instead of text.' },
} as const

const CREDENTIAL = { credential: { type: 'string', arg: 'ID', desc: 'The id of the issued credential (from e2eid issuer credentials); required.' } } as const
const KID = { kid: { type: 'string', arg: 'KID', desc: "The key's id (kid, from e2eid issuer keys list); required." } } as const

const statusChange = (verb: string, status: string, what: string) =>
  defineCommand({
    usage: `e2eid issuer ${verb} --credential ID [--url URL] [--admin-token TOKEN] [--state-dir DIR] [--json]`,
    summary: `${what} The credential's entry in its Token Status List becomes ${status}; verifiers see it when they next fetch the list.`,
    options: { ...CREDENTIAL, ...ADMIN_OPTIONS },
  })

/** Every `e2eid issuer` subcommand (keyed by its words after `issuer`), its synopsis, summary and options. */
export const ISSUER_HELP = {
  serve: defineCommand({
    usage: 'e2eid issuer serve [--port N] [--host H] [--db sqlite:PATH | postgres://...] [--config FILE] [--issuer-url URL] [--state-dir DIR] [--log-level LEVEL]',
    summary:
      'Runs the issuer (OpenID4VCI 1.0 Credential Issuer, its admin API and Token Status Lists) until SIGINT or SIGTERM. ' +
      'It writes its admin token to <state-dir>/admin-token (unless $E2EID_ADMIN_TOKEN gives one).',
    options: {
      port: { type: 'string', arg: 'N', desc: 'The TCP port to listen on (0 picks a free one).', defaultIs: '8080' },
      host: { type: 'string', arg: 'H', desc: 'The address to listen on (0.0.0.0 for every interface).', defaultIs: '127.0.0.1' },
      db: { type: 'string', arg: 'URL', desc: 'The database: sqlite:PATH for a SQLite file or a postgres:// connection URL.', defaultIs: 'the SQLite file <state-dir>/issuer.sqlite' },
      config: { type: 'string', arg: 'FILE', desc: "The issuer's JSON configuration file (credential configurations, users, options; see issuer/README.md)." },
      'issuer-url': { type: 'string', arg: 'URL', desc: "The issuer's public identifier (credential_issuer), as wallets reach it.", defaultIs: "$E2EID_ISSUER_URL, else the config's issuer_url" },
      'state-dir': { type: 'string', arg: 'DIR', desc: 'The folder for the database file, signing keys and the admin token.', defaultIs: '$E2EID_HOME/issuer, else ~/.e2eid/issuer' },
      ...LOG_LEVEL_OPTION,
    },
    notes: 'Logs: JSON lines on stdout, one readable line each when stdout is a terminal.',
  }),
  'user add': defineCommand({
    usage: 'e2eid issuer user add --id ID --claims FILE [--password-file FILE] [admin options]',
    summary: 'Adds a user (the subject of credentials) with its claims, and optionally a password to sign in with (authorization code flow).',
    options: {
      id: { type: 'string', arg: 'ID', desc: "The new user's id; required." },
      claims: { type: 'string', arg: 'FILE', desc: "A JSON file with the user's claims (the credential's subject claims); required." },
      'password-file': { type: 'string', arg: 'FILE', desc: 'A file holding the password the user signs in with (one trailing newline is dropped); without it the user cannot log in.' },
      ...ADMIN_OPTIONS,
    },
  }),
  'user list': defineCommand({
    usage: 'e2eid issuer user list [admin options]',
    summary: 'Lists the users: id, whether they can log in, and their claims.',
    options: { ...ADMIN_OPTIONS },
  }),
  'user show': defineCommand({
    usage: 'e2eid issuer user show --id ID [admin options]',
    summary: 'Shows one user: id, login, creation time and claims.',
    options: { id: { type: 'string', arg: 'ID', desc: "The user's id; required." }, ...ADMIN_OPTIONS },
  }),
  'user update': defineCommand({
    usage: 'e2eid issuer user update --id ID [--claims FILE] [--password-file FILE] [admin options]',
    summary: 'Replaces the claims and/or the password of a user (at least one of them); credentials already issued keep theirs.',
    options: {
      id: { type: 'string', arg: 'ID', desc: "The user's id; required." },
      claims: { type: 'string', arg: 'FILE', desc: "A JSON file with the user's new claims." },
      'password-file': { type: 'string', arg: 'FILE', desc: "A file holding the user's new password (one trailing newline is dropped)." },
      ...ADMIN_OPTIONS,
    },
  }),
  'user remove': defineCommand({
    usage: 'e2eid issuer user remove --id ID [--revoke] [admin options]',
    summary:
      "Removes a user. Refused while one of the user's credentials is neither revoked nor expired, unless --revoke. " +
      'Removed credentials stay revoked in their status lists.',
    options: {
      id: { type: 'string', arg: 'ID', desc: "The user's id; required." },
      revoke: { type: 'boolean', desc: "Revoke the user's live credentials first (final), then remove the user." },
      ...ADMIN_OPTIONS,
    },
  }),
  configs: defineCommand({
    usage: 'e2eid issuer configs [--url URL] [--json]',
    summary: "Lists the credential configuration ids the issuer offers, with format and vct, from its public metadata (no admin token needed).",
    options: { ...ADMIN_OPTIONS },
    notes: 'It reads only public metadata: --admin-token and --state-dir are accepted (like every admin command) and not used.',
  }),
  offer: defineCommand({
    usage: 'e2eid issuer offer --user ID --config CONFIG_ID [--no-tx-code] [--by-value] [--flow pre-authorized_code|authorization_code] [admin options]',
    summary:
      'Creates a credential offer for a user and prints its offer URI (with a QR code when stdout is a terminal) and, ' +
      'in the pre-authorized code flow, the tx_code to send on another channel.',
    options: {
      user: { type: 'string', arg: 'ID', desc: 'The user the credential will be about; required.' },
      config: { type: 'string', arg: 'CONFIG_ID', desc: 'The credential configuration id to offer (see e2eid issuer configs); required.' },
      'tx-code': { type: 'boolean', desc: 'Require a transaction code (tx_code) in the pre-authorized code flow; this is already the default.' },
      'no-tx-code': { type: 'boolean', desc: 'Do not require a tx_code: whoever sees the offer can redeem it (prints a warning).' },
      'by-value': { type: 'boolean', desc: 'Print the offer by value (credential_offer) instead of by reference (credential_offer_uri).' },
      flow: { type: 'string', arg: 'FLOW', desc: 'The grant: pre-authorized_code, or authorization_code (the user signs in).', defaultIs: 'pre-authorized_code' },
      ...ADMIN_OPTIONS,
    },
  }),
  credentials: defineCommand({
    usage: 'e2eid issuer credentials --user ID [admin options]',
    summary: "Lists a user's issued credentials: id, format, configuration, status and status list entry.",
    options: { user: { type: 'string', arg: 'ID', desc: "The user's id; required." }, ...ADMIN_OPTIONS },
  }),
  revoke: statusChange('revoke', 'revoked', 'Revokes an issued credential, for good.'),
  suspend: statusChange('suspend', 'suspended', 'Suspends an issued credential (e2eid issuer reinstate undoes it).'),
  reinstate: statusChange('reinstate', 'valid', 'Makes a suspended credential valid again.'),
  'keys list': defineCommand({
    usage: 'e2eid issuer keys list [admin options]',
    summary: "Lists the issuer's signing keys: kid, algorithm and state (active, retired, or compromised since a time).",
    options: { ...ADMIN_OPTIONS },
  }),
  'keys add': defineCommand({
    usage: 'e2eid issuer keys add [--alg ES256|EdDSA|ES384] [admin options]',
    summary: 'Adds a signing key; it signs new credentials from now on, and the previous one stays published for verification.',
    options: { alg: { type: 'string', arg: 'ALG', desc: "The new key's algorithm: ES256, EdDSA or ES384.", defaultIs: 'ES256' }, ...ADMIN_OPTIONS },
  }),
  'keys retire': defineCommand({
    usage: 'e2eid issuer keys retire --kid KID [admin options]',
    summary: 'Retires a signing key: it stops signing but stays published, so credentials it signed still verify.',
    options: { ...KID, ...ADMIN_OPTIONS },
  }),
  'keys compromise': defineCommand({
    usage: 'e2eid issuer keys compromise --kid KID [--since UNIX|ISO-8601] [admin options]',
    summary:
      'Withdraws a compromised key: it stops signing and is no longer published; verifiers that pin keys list it under withdrawn with this time.',
    options: {
      ...KID,
      since: { type: 'string', arg: 'TIME', desc: 'From when the key is distrusted: UNIX seconds or an ISO 8601 date-time.', defaultIs: "the key's creation (everything it signed)" },
      ...ADMIN_OPTIONS,
    },
  }),
} as const
