import { readdirSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { towns } from '../../app/models/towns.ts'
import { migrations } from '../../db/migrations/index.ts'

describe('towns', () => {
  test('the Zhongshan towns are unique and lie inside Zhongshan', () => {
    expect(new Set(towns.map((t) => t.code)).size).toBe(towns.length)
    expect(new Set(towns.map((t) => t.zh)).size).toBe(towns.length)
    for (const town of towns) {
      expect(town.lat, town.zh).toBeGreaterThan(22.2)
      expect(town.lat, town.zh).toBeLessThan(22.8)
      expect(town.lng, town.zh).toBeGreaterThan(113.1)
      expect(town.lng, town.zh).toBeLessThan(113.65)
    }
    for (const name of ['石岐', '古镇', '小榄', '火炬开发区', '翠亨新区', '神湾']) {
      expect(towns.map((t) => t.zh)).toContain(name)
    }
  })
})

describe('migrations', () => {
  test('every migration file is listed, in name order', () => {
    const files = readdirSync(new URL('../../db/migrations/', import.meta.url))
      .filter((f) => /^\d{8}T\d{4}_.+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort()
    expect(Object.keys(migrations)).toEqual(files)
  })
})
