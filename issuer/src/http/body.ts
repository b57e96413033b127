/**
 * @module http/body
 * Reading request bodies strictly: the declared media type must match, form parameters may not
 * repeat (RFC 6749 §3.1), JSON must parse. The body is read once, capped, by {@link bodyReader}
 * before any route runs; the readers below take it from there.
 *
 * On @hono/node-server the bytes come straight from the Node request (`env.incoming`): asking
 * Hono for `c.req.raw.body` or `c.req.text()` there builds a full WHATWG Request with a
 * ReadableStream and an AbortController per request, which cost more CPU than the rest of the
 * HTTP layer together (~190 µs of ~300 µs per POST /credential on the bench CPU).
 */
import type { Readable } from 'node:stream'
import type { Context, MiddlewareHandler } from 'hono'
import { readStreamCapped } from '@e2eid/shared'
import { oauthError } from './oauth-error.js'
import type { OAuthError, OAuthErrorCode } from './oauth-error.js'

/** The body bytes read by {@link bodyReader}, by request (the request object lives as long as its context). */
const bodies = new WeakMap<Request, Uint8Array>()

/** The Node request under @hono/node-server (its `env.incoming`), if this is one. */
function nodeIncoming(env: unknown): Readable | undefined {
  const incoming = (env as { incoming?: unknown } | undefined)?.incoming
  if (typeof incoming !== 'object' || incoming === null || typeof (incoming as { on?: unknown }).on !== 'function') return undefined
  // Already consumed (not by this issuer): leave it to the Request.
  const r = incoming as Readable
  return r.readableEnded || r.readableDidRead ? undefined : r
}

function bodyTooLarge(maxBytes: number): OAuthError {
  return oauthError('payload_too_large', `body larger than ${maxBytes} bytes`, 'ERR_ISSUER_BODY_TOO_LARGE')
}

function tooLarge(maxBytes: number): never {
  throw bodyTooLarge(maxBytes)
}

function readIncoming(incoming: Readable, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > maxBytes) {
        cleanup()
        try {
          tooLarge(maxBytes)
        } catch (e) {
          reject(e)
        }
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    }
    const onError = (e: unknown): void => {
      cleanup()
      reject(e)
    }
    const cleanup = (): void => {
      incoming.removeListener('data', onData)
      incoming.removeListener('end', onEnd)
      incoming.removeListener('error', onError)
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
  })
}

/**
 * Middleware: reads the body of every request that may have one, at most `maxBytes` (a declared
 * Content-Length above it is refused before reading; a streamed body is cut off at it), and keeps
 * it for {@link readJson} / {@link readForm}. Runs before authentication, so an oversized body is
 * always 413 payload_too_large (ERR_ISSUER_BODY_TOO_LARGE).
 */
export function bodyReader(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') return next() // no body (Fetch: a GET/HEAD Request has none)
    const declared = c.req.header('content-length')
    if (declared !== undefined && Number(declared) > maxBytes) tooLarge(maxBytes)
    const incoming = nodeIncoming(c.env)
    let bytes: Uint8Array
    if (incoming !== undefined) bytes = await readIncoming(incoming, maxBytes)
    else {
      const body = c.req.raw.body
      bytes = body === null ? new Uint8Array(0) : await readStreamCapped(body.getReader(), maxBytes, () => bodyTooLarge(maxBytes))
    }
    bodies.set(c.req.raw, bytes)
    return next()
  }
}

/** The body as UTF-8 text (invalid sequences replaced, as `Request.text()` does). */
function bodyText(c: Context): Promise<string> {
  const bytes = bodies.get(c.req.raw)
  if (bytes === undefined) return c.req.text() // an app without bodyReader (not this issuer's)
  return Promise.resolve(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
}

function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/** An application/x-www-form-urlencoded body as a record; duplicate names are refused. */
export async function readForm(c: Context): Promise<Record<string, string>> {
  if (mediaType(c) !== 'application/x-www-form-urlencoded') {
    throw oauthError('invalid_request', 'body must be application/x-www-form-urlencoded', 'ERR_ISSUER_MEDIA_TYPE')
  }
  const params = new URLSearchParams(await bodyText(c))
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [k, v] of params) {
    if (k in out) throw oauthError('invalid_request', `parameter ${k.slice(0, 64)} is repeated`, 'ERR_ISSUER_PARAM_REPEATED')
    out[k] = v
  }
  return { ...out }
}

/** An application/json body; `error` is the OAuth error for a malformed one. */
export async function readJson(c: Context, error: OAuthErrorCode = 'invalid_request'): Promise<unknown> {
  if (mediaType(c) !== 'application/json') throw oauthError(error, 'body must be application/json', 'ERR_ISSUER_MEDIA_TYPE')
  const text = await bodyText(c)
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw oauthError(error, 'body is not valid JSON', 'ERR_ISSUER_JSON_MALFORMED')
  }
}
