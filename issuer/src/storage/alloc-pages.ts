/**
 * @module storage/alloc-pages
 * The status index allocator, kept in pages so that one issuance reads and writes a few hundred bytes
 * whatever the list size (with the whole bitmap in the list's row, an issuance cost ~0.1 ms at
 * 2^17 entries, ~0.8 ms at 2^20 and ~12 ms at 2^24).
 *
 * A list of `size` entries has ceil(size / 4096) pages; page p holds a 512-byte bitmap (1 bit per entry,
 * LSB-first, entries p*4096 .. p*4096+4095) and is stored only once something in it is allocated. A small
 * per-list table of free counts (`freeByPage`: one little-endian uint16 per page) lets the allocator find
 * the r-th unused entry of the whole list by reading one page: the index it returns for a given r is the
 * one {@link pickUnusedIndex} returns on the whole bitmap, so the choice stays uniform among the unused
 * entries (herd privacy, draft-ietf-oauth-status-list §12.5) and never repeats an index (§13).
 * Pure functions; the backends do the I/O.
 */
import { E2eidError } from '@e2eid/shared'
import { countAllocated, markAllocated, nthUnusedIndex } from './status-bits.js'

/** Entries per allocation page. */
export const ALLOC_PAGE_ENTRIES = 4096
/** Bytes of one page's bitmap. */
export const ALLOC_PAGE_BYTES = ALLOC_PAGE_ENTRIES / 8

/** Number of pages of a list of `size` entries. */
export function allocPageCount(size: number): number {
  return Math.ceil(size / ALLOC_PAGE_ENTRIES)
}

/** Entries in page `page` (the last one may be shorter). */
export function allocPageEntries(size: number, page: number): number {
  return Math.min(ALLOC_PAGE_ENTRIES, size - page * ALLOC_PAGE_ENTRIES)
}

/** The free-count table of a new list: every page entirely free. */
export function newFreeByPage(size: number): Uint8Array {
  const pages = allocPageCount(size)
  const out = new Uint8Array(pages * 2)
  const view = new DataView(out.buffer)
  for (let p = 0; p < pages; p++) view.setUint16(p * 2, allocPageEntries(size, p), true)
  return out
}

function freeView(freeByPage: Uint8Array, size: number): DataView {
  if (freeByPage.length !== allocPageCount(size) * 2) {
    throw new E2eidError('ERR_STORAGE_CORRUPT', `free-count table has ${freeByPage.length} bytes for ${allocPageCount(size)} pages`)
  }
  return new DataView(freeByPage.buffer, freeByPage.byteOffset, freeByPage.byteLength)
}

/** One allocation: the index, and the page and free-count table as they must be written back. */
export interface PagedAllocation {
  idx: number
  page: number
  /** The page's bitmap with `idx` marked (a new array; the stored one is not changed). */
  pageBits: Uint8Array
  /** The free-count table with the page's count lowered by one (a new array). */
  freeByPage: Uint8Array
}

/**
 * Step 1 of an allocation: draws r uniformly in [0, free) with `randomInt` and returns the page holding the
 * r-th unused entry and its rank among that page's unused entries.
 */
export function choosePage(freeByPage: Uint8Array, size: number, allocated: number, randomInt: (n: number) => number): { page: number; rank: number } {
  const free = size - allocated
  if (free <= 0) throw new E2eidError('ERR_STORAGE_STATUS_LIST_FULL', 'status list has no unused index')
  const r = randomInt(free)
  if (!Number.isInteger(r) || r < 0 || r >= free) throw new E2eidError('ERR_STORAGE_BAD_RANDOM', `randomInt(${free}) returned ${r}`)
  const view = freeView(freeByPage, size)
  let remaining = r
  for (let p = 0; p < view.byteLength / 2; p++) {
    const f = view.getUint16(p * 2, true)
    if (remaining < f) return { page: p, rank: remaining }
    remaining -= f
  }
  throw new E2eidError('ERR_STORAGE_CORRUPT', 'free counts add up to less than the list has free')
}

/**
 * Step 2: marks the `rank`-th unused entry of `page` (its stored bitmap, or undefined when the page has no row
 * yet) and returns the allocation to write back.
 */
export function allocateInPage(freeByPage: Uint8Array, size: number, page: number, rank: number, stored: Uint8Array | undefined): PagedAllocation {
  const entries = allocPageEntries(size, page)
  const pageBits = new Uint8Array(ALLOC_PAGE_BYTES)
  if (stored !== undefined) {
    if (stored.length !== ALLOC_PAGE_BYTES) throw new E2eidError('ERR_STORAGE_CORRUPT', `allocation page ${page} has ${stored.length} bytes`)
    pageBits.set(stored)
  }
  const bit = nthUnusedIndex(pageBits, entries, rank)
  markAllocated(pageBits, bit)
  const next = freeByPage.slice()
  const view = freeView(next, size)
  const f = view.getUint16(page * 2, true)
  if (f === 0 || countAllocated(pageBits) !== entries - f + 1) {
    throw new E2eidError('ERR_STORAGE_CORRUPT', `allocation page ${page} disagrees with its free count`)
  }
  view.setUint16(page * 2, f - 1, true)
  return { idx: page * ALLOC_PAGE_ENTRIES + bit, page, pageBits, freeByPage: next }
}

/** Splits a whole-list bitmap into its non-empty pages and free-count table (schema migration 2). */
export function pagesFromBitmap(alloc: Uint8Array, size: number): { pages: Map<number, Uint8Array>; freeByPage: Uint8Array } {
  const freeByPage = newFreeByPage(size)
  const view = freeView(freeByPage, size)
  const pages = new Map<number, Uint8Array>()
  for (let p = 0; p < allocPageCount(size); p++) {
    const bits = new Uint8Array(ALLOC_PAGE_BYTES)
    bits.set(alloc.subarray(p * ALLOC_PAGE_BYTES, (p + 1) * ALLOC_PAGE_BYTES))
    const used = countAllocated(bits)
    if (used === 0) continue
    pages.set(p, bits)
    view.setUint16(p * 2, allocPageEntries(size, p) - used, true)
  }
  return { pages, freeByPage }
}

/** The whole-list bitmap from its stored pages (for the integrity check). */
export function bitmapFromPages(size: number, pages: Iterable<readonly [number, Uint8Array]>): Uint8Array {
  const alloc = new Uint8Array(allocPageCount(size) * ALLOC_PAGE_BYTES)
  for (const [p, bits] of pages) {
    if (p < 0 || p >= allocPageCount(size) || bits.length !== ALLOC_PAGE_BYTES) throw new E2eidError('ERR_STORAGE_CORRUPT', `allocation page ${p} does not fit the list`)
    alloc.set(bits, p * ALLOC_PAGE_BYTES)
  }
  return alloc
}

/** Free entries per page as stored, for comparing with the pages (integrity check). */
export function freeCounts(freeByPage: Uint8Array, size: number): number[] {
  const view = freeView(freeByPage, size)
  return Array.from({ length: view.byteLength / 2 }, (_, p) => view.getUint16(p * 2, true))
}
