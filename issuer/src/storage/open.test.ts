import { describe, expect, it } from 'vitest'
import { openRepository, sqlitePath } from './open.js'

describe('openRepository(--db)', () => {
  it('maps sqlite: URLs and bare paths to SQLite file paths', () => {
    expect(sqlitePath('sqlite:./issuer.db')).toBe('./issuer.db')
    expect(sqlitePath('sqlite:///var/lib/e2eid.db')).toBe('/var/lib/e2eid.db')
    expect(sqlitePath('sqlite::memory:')).toBe(':memory:')
    expect(sqlitePath('data/issuer.sqlite')).toBe('data/issuer.sqlite')
  })
  it('rejects other schemes and empty paths with ERR_STORAGE_DB_URL', async () => {
    expect(() => sqlitePath('mysql://x')).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_DB_URL' }))
    expect(() => sqlitePath('sqlite:')).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_DB_URL' }))
    await expect(openRepository('mysql://localhost/x')).rejects.toMatchObject({ code: 'ERR_STORAGE_DB_URL' })
  })
  it('opens a working in-memory SQLite repository', async () => {
    const repo = await openRepository('sqlite::memory:')
    await repo.setSetting('issuer', 'https://issuer.example')
    expect(await repo.getSetting('issuer')).toBe('https://issuer.example')
    await repo.close()
  })
  it('rejects a status list size that is not a multiple of 8', async () => {
    await expect(openRepository('sqlite::memory:', { statusListSize: 12 })).rejects.toMatchObject({ code: 'ERR_STORAGE_OPTIONS' })
  })
})
