/**
 * @module storage/open
 * Chooses the backend from the CLI's `--db` value.
 */
import { E2eidError } from '@e2eid/shared'
import type { IssuerRepository } from './repository.js'
import type { PostgresRepositoryOptions } from './postgres.js'
import type { SqliteRepositoryOptions } from './sqlite.js'

/** Options for {@link openRepository}; each backend ignores the other's fields. */
export type OpenRepositoryOptions = SqliteRepositoryOptions & PostgresRepositoryOptions

/**
 * Opens the repository named by `dbUrl` and applies migrations:
 * `sqlite:PATH` (also `sqlite://PATH`, `sqlite::memory:`) or `postgres://...` / `postgresql://...`.
 * A bare path without a scheme is taken as a SQLite file.
 * @throws E2eidError `ERR_STORAGE_DB_URL` for an unsupported or empty value.
 */
export async function openRepository(dbUrl: string, options: OpenRepositoryOptions = {}): Promise<IssuerRepository> {
  if (/^postgres(ql)?:\/\//i.test(dbUrl)) {
    const { openPostgresRepository } = await import('./postgres.js')
    return openPostgresRepository(dbUrl, options)
  }
  const path = sqlitePath(dbUrl)
  const { openSqliteRepository } = await import('./sqlite.js')
  return openSqliteRepository(path, options)
}

/** The file path of a `sqlite:` database URL (or a bare path). */
export function sqlitePath(dbUrl: string): string {
  let path = dbUrl
  if (/^sqlite:/i.test(path)) {
    path = path.slice('sqlite:'.length)
    if (path.startsWith('//')) path = path.slice(2)
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new E2eidError('ERR_STORAGE_DB_URL', `unsupported database URL scheme in ${JSON.stringify(dbUrl.split(':')[0])}; use sqlite:PATH or postgres://...`, { status: 400 })
  }
  if (path.length === 0) throw new E2eidError('ERR_STORAGE_DB_URL', 'empty SQLite path', { status: 400 })
  return path
}
