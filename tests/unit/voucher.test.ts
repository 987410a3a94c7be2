import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { voucherAmount, voucherYear } from '../../app/models/voucher.server.ts'
import {
  ProgramCreateApiSchema,
  ProgramFormSchema,
  percentToBps,
} from '../../app/models/voucher.schema.ts'

const fen = fc.integer({ min: 0, max: 10_000_000_000 })
// Left may be negative: a budget lowered or a cap used past by reversals racing.
const left = fc.integer({ min: -1_000_000, max: 10_000_000_000 })

describe('voucherAmount', () => {
  test('is never above the share, the cap left or the budget left, and never negative', () => {
    fc.assert(
      fc.property(
        fen,
        fc.integer({ min: 1, max: 9000 }),
        left,
        left,
        (contractFen, shareBps, capLeftFen, budgetLeftFen) => {
          const amount = voucherAmount({ contractFen, shareBps, capLeftFen, budgetLeftFen })
          expect(Number.isInteger(amount)).toBe(true)
          expect(amount).toBeGreaterThanOrEqual(0)
          expect(amount * 10_000).toBeLessThanOrEqual(contractFen * shareBps)
          expect(amount).toBeLessThanOrEqual(Math.max(0, capLeftFen))
          expect(amount).toBeLessThanOrEqual(Math.max(0, budgetLeftFen))
          // At most 90 %: the firm always pays part of a contract worth paying for.
          if (contractFen > 0) expect(amount).toBeLessThan(contractFen)
          // And it is the largest such amount: one of the three limits binds.
          expect(amount).toBe(
            Math.max(
              0,
              Math.min(Math.floor((contractFen * shareBps) / 10_000), capLeftFen, budgetLeftFen),
            ),
          )
        },
      ),
      { numRuns: 1000 },
    )
  })

  test('rounds the share down to the fen', () => {
    expect(
      voucherAmount({ contractFen: 100_001, shareBps: 5000, capLeftFen: 1e9, budgetLeftFen: 1e9 }),
    ).toBe(50_000)
  })

  test('the cap and the budget each bind', () => {
    const input = { contractFen: 1_000_000, shareBps: 5000 }
    expect(voucherAmount({ ...input, capLeftFen: 120_000, budgetLeftFen: 1e9 })).toBe(120_000)
    expect(voucherAmount({ ...input, capLeftFen: 1e9, budgetLeftFen: 7_000 })).toBe(7_000)
    expect(voucherAmount({ ...input, capLeftFen: 0, budgetLeftFen: 1e9 })).toBe(0)
  })

  test('the year is the Shanghai calendar year of the day', () => {
    expect(voucherYear('2026-12-31')).toBe(2026)
    expect(voucherYear('2027-01-01')).toBe(2027)
  })
})

describe('programme input', () => {
  const api = {
    name: '中山市设计服务券',
    share_bps: 5000,
    annual_cap_fen: 30_000_000,
    budget_fen: 1_000_000_000,
    valid_from: '2026-01-01',
    valid_until: '2026-12-31',
  }

  test('a percentage is read exactly, in basis points', () => {
    expect(['50', '12.5', '12.25 %', '９０', '0.01'].map(percentToBps)).toEqual([
      5000, 1250, 1225, 9000, 1,
    ])
    expect(['', 'abc', '1.234', '-5', '1000'].map(percentToBps)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  test('the API refuses a share above 90 %, dates out of order and unknown processes, by field', () => {
    expect(ProgramCreateApiSchema.safeParse(api).success).toBe(true)
    const paths = (body: object) => {
      const parsed = ProgramCreateApiSchema.safeParse({ ...api, ...body })
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))
    }
    expect(paths({ share_bps: 9001 })).toEqual(['share_bps'])
    expect(paths({ share_bps: 0 })).toEqual(['share_bps'])
    expect(paths({ valid_until: '2025-12-31' })).toEqual(['valid_until'])
    expect(paths({ processes: ['cnc_milling_3axis', 'welding'] })).toEqual(['processes.1'])
    expect(paths({ clusters: ['space'] })).toEqual(['clusters.0'])
  })

  test('the form reads yuan and a percentage, and says what is wrong with the i18n key', () => {
    const form = {
      name: '设计券',
      share: '50',
      annualCap: '300,000',
      budget: '1000000.5',
      processes: 'fdm',
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
    }
    const ok = ProgramFormSchema.parse(form)
    expect(ok).toMatchObject({
      share: 5000,
      annualCap: 30_000_000,
      budget: 100_000_050,
      processes: ['fdm'],
      clusters: [],
    })
    const bad = ProgramFormSchema.safeParse({ ...form, share: '90.5', validUntil: '2025-01-01' })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['share', 'error.vouchers.share'],
    ])
    const dates = ProgramFormSchema.safeParse({ ...form, validUntil: '2025-01-01' })
    expect(dates.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['validUntil', 'error.vouchers.untilBeforeFrom'],
    ])
  })
})
