/**
 * Test helper: a loopback HTTP server (127.0.0.1, port 0) with mutable routes, and a fetch that records every
 * URL the verifier asked for. Tests close the server in afterAll/afterEach.
 */
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

interface Route {
  status?: number
  contentType?: string
  headers?: Record<string, string>
  body: string | Uint8Array
}

export interface Loopback {
  origin: string
  port: number
  routes: Map<string, Route | (() => Route)>
  hits: string[]
  close(): Promise<void>
}

export async function startLoopback(): Promise<Loopback> {
  const routes = new Map<string, Route | (() => Route)>()
  const hits: string[] = []
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    hits.push(path)
    const r = routes.get(path)
    const route = typeof r === 'function' ? r() : r
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.contentType ?? 'application/json', ...route.headers })
    res.end(typeof route.body === 'string' ? route.body : Buffer.from(route.body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    routes,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A fetch that records the URLs it was given, then calls the global fetch. */
export function recordingFetch(): { fetch: (input: string, init?: RequestInit) => Promise<Response>; urls: string[] } {
  const urls: string[] = []
  return {
    urls,
    fetch: (input, init) => {
      urls.push(input)
      return globalThis.fetch(input, init)
    },
  }
}
