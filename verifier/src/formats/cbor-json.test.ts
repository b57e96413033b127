import { CborTag } from '@e2eid/shared'
import { describe, expect, it } from 'vitest'
import { cborToJson } from './cbor-json.js'

describe('JSON view of CBOR claims (the shared converter, verifier error code)', () => {
  it('int labels in decimal, bytes as unpadded base64url, other tags as {tag, value}', () => {
    const v = new Map<unknown, unknown>([[1, 'https://issuer.example'], [-2, Uint8Array.of(0x85, 0x54, 0xeb)], ['t', new CborTag(1, 5)]])
    expect(cborToJson(v)).toEqual({ '1': 'https://issuer.example', '-2': 'hVTr', t: { tag: 1, value: 5 } })
  })

  it('1 and "1" in one map: ERR_VERIFY_CLAIMS_UNSUPPORTED instead of silently dropping a claim', () => {
    expect(() => cborToJson(new Map<unknown, unknown>([[1, 'a'], ['1', 'b']]))).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CLAIMS_UNSUPPORTED' }))
  })

  it('nesting past 64 levels: ERR_VERIFY_CLAIMS_UNSUPPORTED', () => {
    let deep: unknown = 1
    for (let i = 0; i < 70; i++) deep = [deep]
    expect(() => cborToJson(deep)).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CLAIMS_UNSUPPORTED' }))
  })
})
