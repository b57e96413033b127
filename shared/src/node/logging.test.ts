import { describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { E2eidError } from '../errors.js'
import { createLogger, prettyLine, redactUrl, redactUrlsIn, requestLog, requestLogging } from './logging.js'

function capture(): { lines: string[]; write(s: string): void; records(): Array<Record<string, unknown>> } {
  const lines: string[] = []
  return { lines, write: (s) => void lines.push(s), records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) }
}

describe('redactUrl: credentials never reach a log line', () => {
  it('masks the password of a database URL, keeps the user, host and database', () => {
    expect(redactUrl('postgres://e2eid:s3cr3t-pw@db.example:5432/e2eid')).toBe('postgres://e2eid:***@db.example:5432/e2eid')
    expect(redactUrl('postgres://e2eid:s3cr3t-pw@db.example/e2eid?sslmode=require')).not.toContain('s3cr3t-pw')
  })
  it('masks secret query parameters (OAuth codes, tokens) and leaves the others', () => {
    const r = redactUrl('https://v.example/requests/x/page?response_code=abc123&lang=en')
    expect(r).not.toContain('abc123')
    expect(r).toContain('lang=en')
  })
  it('leaves URLs without secrets and non-URL strings (sqlite paths) as they are', () => {
    expect(redactUrl('sqlite::memory:')).toBe('sqlite::memory:')
    expect(redactUrl('https://issuer.example/.well-known/openid-credential-issuer')).toBe('https://issuer.example/.well-known/openid-credential-issuer')
  })
  it('redacts every URL inside a message', () => {
    expect(redactUrlsIn('cannot connect to postgres://u:pw1@h/db: ECONNREFUSED')).toBe('cannot connect to postgres://u:***@h/db: ECONNREFUSED')
  })
})

describe('createLogger', () => {
  it('writes JSON lines with level and message, and censors secret field names', () => {
    const out = capture()
    const log = createLogger({ destination: out, pretty: false })
    log.info({ event: 'x', password: 'hunter2', nested: { authorization: 'Bearer abc' } }, 'hello')
    const [r] = out.records()
    expect(r).toMatchObject({ level: 'info', msg: 'hello', event: 'x', password: '[redacted]', nested: { authorization: '[redacted]' } })
    expect(out.lines.join('')).not.toMatch(/hunter2|Bearer abc/)
  })
  it('honours the level (debug is dropped at info, everything at silent)', () => {
    const out = capture()
    createLogger({ destination: out, pretty: false, level: 'info' }).debug('no')
    createLogger({ destination: out, pretty: false, level: 'silent' }).error('no')
    expect(out.lines).toEqual([])
  })
  it('the terminal form is one readable line', () => {
    const out = capture()
    createLogger({ destination: out, pretty: true }).warn({ route: '/token', status: 400 }, 'request')
    expect(out.lines).toHaveLength(1)
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN  request route=\/token status=400\n$/)
    expect(prettyLine('not json')).toBe('not json')
  })
})

describe('requestLogging middleware', () => {
  function app(out: { write(s: string): void }): Hono {
    const a = new Hono()
    a.use('*', requestLogging(createLogger({ destination: out, pretty: false })))
    a.onError((e, c) => c.json({ error: 'invalid_request', code: e instanceof E2eidError ? e.code : 'X' }, 400))
    a.get('/items/:id', (c) => {
      requestLog(c).info({ event: 'item_read' }, 'event')
      return c.json({ ok: true })
    })
    a.get('/fail', () => {
      throw new E2eidError('ERR_TEST_REFUSED', 'no')
    })
    return a
  }

  it('logs method, route pattern (not the raw URL and its query), status, duration; the event carries the same request id', async () => {
    const out = capture()
    const res = await app(out).request('/items/42?token=sekret')
    const id = res.headers.get('x-request-id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    const [event, line] = out.records()
    expect(event).toMatchObject({ event: 'item_read', request_id: id })
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', route: '/items/:id', status: 200, request_id: id })
    expect(typeof line!.duration_ms).toBe('number')
    expect(out.lines.join('')).not.toContain('sekret')
  })

  it('honours a well-formed X-Request-Id and refuses a malformed one', async () => {
    const out = capture()
    const a = app(out)
    expect((await a.request('/items/1', { headers: { 'X-Request-Id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123')
    expect((await a.request('/items/1', { headers: { 'X-Request-Id': 'bad id {"level":"fatal"}' } })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('an error response is logged at warn with its error code', async () => {
    const out = capture()
    await app(out).request('/fail')
    expect(out.records()[0]).toMatchObject({ level: 'warn', status: 400, error_code: 'ERR_TEST_REFUSED', route: '/fail' })
  })
})
