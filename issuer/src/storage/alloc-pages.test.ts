import { describe, expect, it } from 'vitest'
import {
  ALLOC_PAGE_BYTES,
  ALLOC_PAGE_ENTRIES,
  allocateInPage,
  allocPageCount,
  bitmapFromPages,
  choosePage,
  freeCounts,
  newFreeByPage,
  pagesFromBitmap,
} from './alloc-pages.js'
import { countAllocated, isAllocated, markAllocated, nthUnusedIndex } from './status-bits.js'

/** A deterministic LCG for reproducible fills. */
function lcg(seed: number): (n: number) => number {
  let x = seed
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    return x % n
  }
}

/** One paged allocation on an in-memory list; `pages` and the returned free table are updated like a backend does. */
function allocate(state: { size: number; allocated: number; freeByPage: Uint8Array; pages: Map<number, Uint8Array> }, randomInt: (n: number) => number): number {
  const { page, rank } = choosePage(state.freeByPage, state.size, state.allocated, randomInt)
  const a = allocateInPage(state.freeByPage, state.size, page, rank, state.pages.get(page))
  state.pages.set(page, a.pageBits)
  state.freeByPage = a.freeByPage
  state.allocated++
  return a.idx
}

describe('paged status index allocation (draft-ietf-oauth-status-list §12.5 herd privacy, §13 no reuse)', () => {
  it('picks, for every r, the same index as rank selection over the whole bitmap (so just as uniform)', () => {
    const rnd = lcg(7)
    // Sizes with a partial last page, one page, several pages.
    for (const size of [8, 4096, 10_008, 3 * ALLOC_PAGE_ENTRIES]) {
      const whole = new Uint8Array(allocPageCount(size) * ALLOC_PAGE_BYTES)
      for (let k = 0; k < size / 2; k++) markAllocated(whole, rnd(size))
      const allocated = countAllocated(whole)
      const { pages, freeByPage } = pagesFromBitmap(whole, size)
      const free = size - allocated
      for (const r of [0, 1, Math.floor(free / 3), Math.floor(free / 2), free - 2, free - 1]) {
        const { page, rank } = choosePage(freeByPage, size, allocated, () => r)
        const a = allocateInPage(freeByPage, size, page, rank, pages.get(page))
        expect(a.idx, `size ${size} r ${r}`).toBe(nthUnusedIndex(whole, size, r))
        expect(isAllocated(whole, a.idx)).toBe(false)
        expect(a.idx).toBeLessThan(size)
      }
    }
  })
  it('allocating a whole multi-page list gives every index exactly once, then refuses (ERR_STORAGE_STATUS_LIST_FULL)', () => {
    const size = 2 * ALLOC_PAGE_ENTRIES + 8
    const state = { size, allocated: 0, freeByPage: newFreeByPage(size), pages: new Map<number, Uint8Array>() }
    const seen = new Set<number>()
    const rnd = lcg(3)
    for (let n = 0; n < size; n++) seen.add(allocate(state, rnd))
    expect(seen.size).toBe(size)
    expect(Math.min(...seen)).toBe(0)
    expect(Math.max(...seen)).toBe(size - 1)
    expect(freeCounts(state.freeByPage, size)).toEqual([0, 0, 0])
    expect(() => choosePage(state.freeByPage, size, size, () => 0)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_STATUS_LIST_FULL' }))
  })
  it('does not change the stored page or free table it was given (the backend writes the new ones)', () => {
    const size = ALLOC_PAGE_ENTRIES
    const freeByPage = newFreeByPage(size)
    const stored = new Uint8Array(ALLOC_PAGE_BYTES)
    const a = allocateInPage(freeByPage, size, 0, 0, stored)
    expect(a.idx).toBe(0)
    expect(stored.every((b) => b === 0)).toBe(true)
    expect(freeCounts(freeByPage, size)).toEqual([ALLOC_PAGE_ENTRIES])
    expect(freeCounts(a.freeByPage, size)).toEqual([ALLOC_PAGE_ENTRIES - 1])
  })
  it('rejects a random source that answers out of range (ERR_STORAGE_BAD_RANDOM)', () => {
    const f = newFreeByPage(16)
    for (const bad of [16, -1, 0.5, Number.NaN]) {
      expect(() => choosePage(f, 16, 0, () => bad)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_BAD_RANDOM' }))
    }
  })
  it('detects stored state that disagrees with itself (ERR_STORAGE_CORRUPT)', () => {
    const size = 2 * ALLOC_PAGE_ENTRIES
    const corrupt = expect.objectContaining({ code: 'ERR_STORAGE_CORRUPT' })
    // a free table of the wrong length
    expect(() => choosePage(new Uint8Array(2), size, 0, () => 0)).toThrow(corrupt)
    // free counts that add up to less than the list's free entries
    expect(() => choosePage(new Uint8Array(4), size, 0, () => 5)).toThrow(corrupt)
    // a page whose bits disagree with its free count (count says all free, one bit is set)
    const page = new Uint8Array(ALLOC_PAGE_BYTES)
    page[0] = 1
    expect(() => allocateInPage(newFreeByPage(size), size, 0, 0, page)).toThrow(corrupt)
    // a page of the wrong length
    expect(() => allocateInPage(newFreeByPage(size), size, 0, 0, new Uint8Array(3))).toThrow(corrupt)
    // pages that do not fit the list
    expect(() => bitmapFromPages(size, [[2, new Uint8Array(ALLOC_PAGE_BYTES)]])).toThrow(corrupt)
  })
  it('pagesFromBitmap keeps only pages in use, and bitmapFromPages rebuilds the bitmap', () => {
    const size = 3 * ALLOC_PAGE_ENTRIES
    const whole = new Uint8Array(size / 8)
    for (const i of [5, 2 * ALLOC_PAGE_ENTRIES + 17, 2 * ALLOC_PAGE_ENTRIES + 18]) markAllocated(whole, i)
    const { pages, freeByPage } = pagesFromBitmap(whole, size)
    expect([...pages.keys()]).toEqual([0, 2])
    expect(freeCounts(freeByPage, size)).toEqual([ALLOC_PAGE_ENTRIES - 1, ALLOC_PAGE_ENTRIES, ALLOC_PAGE_ENTRIES - 2])
    expect(bitmapFromPages(size, pages)).toEqual(whole)
  })
})
