/**
 * The token endpoint's rate limiter (issue #8 HTTP hardening): bounded memory without letting a flood
 * from many addresses reset the counters of the clients already over their limit.
 */
import { describe, expect, it } from 'vitest'
import { RateLimiter } from './hardening.js'

describe('RateLimiter (fixed window per client address)', () => {
  it('limits a client within its window and lets it go in the next one', () => {
    const clock = { now: 1000 }
    const rl = new RateLimiter(3, 60, () => clock.now)
    expect([rl.hit('a'), rl.hit('a'), rl.hit('a')]).toEqual([0, 0, 0])
    expect(rl.hit('a')).toBe(60)
    clock.now += 30
    expect(rl.hit('a')).toBe(30)
    clock.now += 30
    expect(rl.hit('a')).toBe(0)
  })

  it('new addresses below the bound reset nobody; past it, memory stays bounded (only the oldest windows go, never all)', () => {
    const clock = { now: 1000 }
    const rl = new RateLimiter(2, 60, () => clock.now, 100)
    rl.hit('attacker')
    rl.hit('attacker')
    expect(rl.hit('attacker')).toBeGreaterThan(0)
    clock.now += 1
    // 50 new addresses: below the bound, nothing is evicted.
    for (let i = 0; i < 50; i++) rl.hit(`10.0.0.${i}`)
    expect(rl.hit('attacker')).toBeGreaterThan(0)
    // Far more than the bound: memory stays at most maxKeys.
    for (let i = 0; i < 1000; i++) rl.hit(`10.1.${i >> 8}.${i & 255}`)
    expect(rl.size).toBeLessThanOrEqual(100)
  })

  it('sweeps expired windows before evicting live ones', () => {
    const clock = { now: 1000 }
    const rl = new RateLimiter(1, 60, () => clock.now, 10)
    for (let i = 0; i < 9; i++) rl.hit(`old-${i}`)
    clock.now += 61
    rl.hit('limited')
    expect(rl.hit('limited')).toBeGreaterThan(0)
    // The 9 expired windows make room; the live 'limited' window survives.
    for (let i = 0; i < 8; i++) rl.hit(`new-${i}`)
    expect(rl.hit('limited')).toBeGreaterThan(0)
    expect(rl.size).toBeLessThanOrEqual(10)
  })
})
