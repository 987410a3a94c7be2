import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  aqlValues,
  codeLetter,
  codeLetters,
  inspectionLevels,
  sampleSizes,
  samplingPlan,
  table2A,
  verdict,
  type CodeLetter,
  type InspectionLevel,
  type SamplingPlan,
  type Table2ACell,
} from '../../app/models/aql.ts'

// Table 1 of GB/T 2828.1-2012 / ISO 2859-1:1999 as printed: [first lot, last lot, letters for
// S-1 S-2 S-3 S-4 I II III]. Both ends of every range are checked.
const table1: [number, number, string][] = [
  [2, 8, 'AAAAAAB'],
  [9, 15, 'AAAAABC'],
  [16, 25, 'AABBBCD'],
  [26, 50, 'ABBCCDE'],
  [51, 90, 'BBCCCEF'],
  [91, 150, 'BBCDDFG'],
  [151, 280, 'BCDEEGH'],
  [281, 500, 'BCDEFHJ'],
  [501, 1200, 'CCEFGJK'],
  [1201, 3200, 'CDEGHKL'],
  [3201, 10000, 'CDFGJLM'],
  [10001, 35000, 'CDFHKMN'],
  [35001, 150000, 'DEGJLNP'],
  [150001, 500000, 'DEGJMPQ'],
  [500001, 10_000_000, 'DEHKNQR'],
]

/** A lot size and level whose code letter is the given one (the range's last lot). */
const lotFor: Record<CodeLetter, [number, InspectionLevel]> = {
  A: [8, 'II'],
  B: [15, 'II'],
  C: [25, 'II'],
  D: [50, 'II'],
  E: [90, 'II'],
  F: [150, 'II'],
  G: [280, 'II'],
  H: [500, 'II'],
  J: [1200, 'II'],
  K: [3200, 'II'],
  L: [10000, 'II'],
  M: [35000, 'II'],
  N: [150000, 'II'],
  P: [500000, 'II'],
  Q: [1_000_000, 'II'],
  R: [1_000_000, 'III'],
}

function planAt(letter: CodeLetter, aql: number): SamplingPlan {
  const [lot, level] = lotFor[letter]
  const plan = samplingPlan(lot, aql, level)
  expect(plan.codeLetter).toBe(letter)
  return plan
}

function expectPlanInvariants(plan: SamplingPlan, lotSize: number): void {
  expect(plan.accept).toBeGreaterThanOrEqual(0)
  expect(plan.reject).toBe(plan.accept + 1)
  expect(plan.sampleSize).toBeGreaterThanOrEqual(2)
  expect(plan.sampleSize).toBeLessThanOrEqual(lotSize)
  expect(plan.fullInspection).toBe(sampleSizes[plan.planLetter] >= lotSize)
  expect(plan.sampleSize).toBe(Math.min(sampleSizes[plan.planLetter], lotSize))
}

describe('Table 1: sample size code letters', () => {
  test('every lot-size range gives the printed letter at both ends, at every level', () => {
    for (const [first, last, letters] of table1) {
      inspectionLevels.forEach((level, i) => {
        expect(codeLetter(first, level), `${first} ${level}`).toBe(letters[i])
        expect(codeLetter(last, level), `${last} ${level}`).toBe(letters[i])
      })
    }
  })

  test('the brief’s anchors', () => {
    expect(codeLetter(1200, 'II')).toBe('J')
    expect(codeLetter(1201, 'II')).toBe('K')
    expect(codeLetter(3200, 'II')).toBe('K')
    expect(codeLetter(2, 'II')).toBe('A')
    expect(codeLetter(500_001, 'III')).toBe('R')
    expect(codeLetter(Number.MAX_SAFE_INTEGER, 'III')).toBe('R')
  })

  test('rejects lot sizes below 2, fractions and non-finite numbers', () => {
    for (const lot of [1, 0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => codeLetter(lot, 'II')).toThrow(RangeError)
      expect(() => samplingPlan(lot, 1)).toThrow(/Lot size must be a whole number of at least 2/)
    }
  })

  test('rejects an unknown inspection level', () => {
    expect(() => codeLetter(100, 'IV' as InspectionLevel)).toThrow(RangeError)
  })
})

describe('Table 2-A: the data', () => {
  test('sample sizes per code letter', () => {
    expect(codeLetters.map((l) => sampleSizes[l])).toEqual([
      2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000,
    ])
  })

  test('the AQL series', () => {
    expect([...aqlValues]).toEqual([
      0.01, 0.015, 0.025, 0.04, 0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1.0, 1.5, 2.5, 4.0, 6.5, 10, 15,
      25, 40, 65, 100, 150, 250, 400, 650, 1000,
    ])
  })

  // The master table is built on anti-diagonals: one letter down (sample size ×≈1.6) and one
  // AQL to the left (AQL ÷≈1.6) keep n × AQL, hence the cell, the same. Restated here as a rule
  // to catch a slip in any of the 416 literal cells.
  test('every cell follows the diagonal structure of the standard', () => {
    const bySum: Record<number, Table2ACell> = {
      14: 0,
      15: 'up',
      16: 'down',
      17: 1,
      18: 2,
      19: 3,
      20: 5,
      21: 7,
      22: 10,
      23: 14,
      24: 21,
    }
    codeLetters.forEach((letter, row) => {
      aqlValues.forEach((aql, column) => {
        const sum = row + column
        let expected: Table2ACell
        if (letter === 'A' && aql === 10) expected = 'down'
        else if (letter === 'R' && aql === 0.015) expected = 'up'
        else if (sum <= 13) expected = 'down'
        else if (sum <= 24) expected = bySum[sum]!
        else if (sum === 25 && row <= 4) expected = 30
        else if (sum === 26 && row <= 4) expected = 44
        else expected = 'up'
        expect(table2A[letter][column], `${letter} at AQL ${aql}`).toBe(expected)
      })
    })
  })

  test('Ac 30 and 44 appear only in rows A–E, at AQL 150 and above', () => {
    const cells = codeLetters.flatMap((letter) =>
      table2A[letter].flatMap((cell, column) =>
        cell === 30 || cell === 44 ? [`${letter}${cell}@${aqlValues[column]}`] : [],
      ),
    )
    expect(cells.sort()).toEqual(
      [
        'A30@1000',
        'B30@650',
        'B44@1000',
        'C30@400',
        'C44@650',
        'D30@250',
        'D44@400',
        'E30@150',
        'E44@250',
      ].sort(),
    )
  })
})

describe('samplingPlan: published plans', () => {
  test('lot 1,200, level II, AQL 1.0: J, n 80, Ac 2 Re 3', () => {
    expect(samplingPlan(1200, 1.0)).toEqual({
      codeLetter: 'J',
      planLetter: 'J',
      sampleSize: 80,
      accept: 2,
      reject: 3,
      fullInspection: false,
    })
  })

  test('lot 1,201, level II, AQL 1.0: K, n 125, Ac 3 Re 4', () => {
    expect(samplingPlan(1201, 1.0, 'II')).toEqual({
      codeLetter: 'K',
      planLetter: 'K',
      sampleSize: 125,
      accept: 3,
      reject: 4,
      fullInspection: false,
    })
  })

  test('lot 50, level II, AQL 1.0: D is an arrow down to E, n 13, Ac 0 Re 1', () => {
    expect(samplingPlan(50, 1.0)).toEqual({
      codeLetter: 'D',
      planLetter: 'E',
      sampleSize: 13,
      accept: 0,
      reject: 1,
      fullInspection: false,
    })
  })

  test('lot 10,000, level II, AQL 0.65: L, n 200, Ac 3 Re 4', () => {
    expect(samplingPlan(10000, 0.65)).toMatchObject({
      codeLetter: 'L',
      sampleSize: 200,
      accept: 3,
      reject: 4,
    })
  })

  test('lot 500, level II, AQL 2.5: H, n 50, Ac 3 Re 4', () => {
    expect(samplingPlan(500, 2.5)).toMatchObject({
      codeLetter: 'H',
      sampleSize: 50,
      accept: 3,
      reject: 4,
    })
  })

  test('lots 91–150, level II, AQL 4.0: F, n 20, Ac 2 Re 3', () => {
    for (const lot of [91, 150]) {
      expect(samplingPlan(lot, 4.0)).toMatchObject({
        codeLetter: 'F',
        sampleSize: 20,
        accept: 2,
        reject: 3,
      })
    }
  })

  test('code letter A at AQL 6.5: n 2, Ac 0 Re 1', () => {
    expect(samplingPlan(8, 6.5)).toEqual({
      codeLetter: 'A',
      planLetter: 'A',
      sampleSize: 2,
      accept: 0,
      reject: 1,
      fullInspection: false,
    })
  })

  test('the usual major 2.5 / minor 4.0 chart at level II', () => {
    const chart: [number, CodeLetter, number, [number, number], [number, number]][] = [
      // lot, letter, n, [Ac, n] at 2.5, [Ac, n] at 4.0
      [150, 'F', 20, [1, 20], [2, 20]],
      [280, 'G', 32, [2, 32], [3, 32]],
      [500, 'H', 50, [3, 50], [5, 50]],
      [1200, 'J', 80, [5, 80], [7, 80]],
      [3200, 'K', 125, [7, 125], [10, 125]],
      [10000, 'L', 200, [10, 200], [14, 200]],
      [35000, 'M', 315, [14, 315], [21, 315]],
      [150000, 'N', 500, [21, 500], [21, 315]],
    ]
    for (const [lot, letter, n, [ac25, n25], [ac40, n40]] of chart) {
      expect(codeLetter(lot, 'II')).toBe(letter)
      expect(sampleSizes[letter]).toBe(n)
      expect(samplingPlan(lot, 2.5)).toMatchObject({ sampleSize: n25, accept: ac25 })
      expect(samplingPlan(lot, 4.0)).toMatchObject({ sampleSize: n40, accept: ac40 })
    }
  })

  test('whole columns, A to R, after following the arrows', () => {
    // [plan letter, Ac] for code letters A…R.
    const columns: Record<string, string> = {
      '0.65': 'F0 F0 F0 F0 F0 F0 F0 J1 J1 K2 L3 M5 N7 P10 Q14 R21',
      '1': 'E0 E0 E0 E0 E0 E0 H1 H1 J2 K3 L5 M7 N10 P14 Q21 Q21',
      '2.5': 'C0 C0 C0 C0 F1 F1 G2 H3 J5 K7 L10 M14 N21 N21 N21 N21',
      '4': 'B0 B0 B0 E1 E1 F2 G3 H5 J7 K10 L14 M21 M21 M21 M21 M21',
      '10': 'C1 C1 C1 D2 E3 F5 G7 H10 J14 K21 K21 K21 K21 K21 K21 K21',
      '1000': 'A30 B44 B44 B44 B44 B44 B44 B44 B44 B44 B44 B44 B44 B44 B44 B44',
    }
    for (const [aql, expected] of Object.entries(columns)) {
      const got = codeLetters
        .map((letter) => {
          const plan = planAt(letter, Number(aql))
          return `${plan.planLetter}${plan.accept}`
        })
        .join(' ')
      expect(got, `AQL ${aql}`).toBe(expected)
    }
  })

  test('the two edge arrows: A at AQL 10 goes down to C, R at AQL 0.015 up to P', () => {
    expect(samplingPlan(500_001, 0.015, 'III')).toEqual({
      codeLetter: 'R',
      planLetter: 'P',
      sampleSize: 800,
      accept: 0,
      reject: 1,
      fullInspection: false,
    })
    expect(samplingPlan(15, 10, 'S-1')).toEqual({
      codeLetter: 'A',
      planLetter: 'C',
      sampleSize: 5,
      accept: 1,
      reject: 2,
      fullInspection: false,
    })
  })

  test('the sample size changes with the arrow: AQL 0.010 at R uses Q, n 1,250', () => {
    expect(samplingPlan(600_000, 0.01, 'III')).toMatchObject({
      codeLetter: 'R',
      planLetter: 'Q',
      sampleSize: 1250,
      accept: 0,
      reject: 1,
    })
  })
})

describe('samplingPlan: 100 % inspection', () => {
  test('AQL 0.010 on a small lot: the plan is Q (n 1,250), so every unit is inspected', () => {
    expect(samplingPlan(8, 0.01)).toEqual({
      codeLetter: 'A',
      planLetter: 'Q',
      sampleSize: 8,
      accept: 0,
      reject: 1,
      fullInspection: true,
    })
    expect(samplingPlan(500, 0.01)).toMatchObject({
      codeLetter: 'H',
      sampleSize: 500,
      fullInspection: true,
    })
  })

  test('a sample size equal to the lot size is also 100 % inspection', () => {
    expect(samplingPlan(5, 10)).toMatchObject({
      codeLetter: 'A',
      planLetter: 'C',
      sampleSize: 5,
      accept: 1,
      reject: 2,
      fullInspection: true,
    })
  })

  test('the plan letter’s sample size just below the lot is a sample', () => {
    expect(samplingPlan(14, 1.0)).toMatchObject({ planLetter: 'E', sampleSize: 13 })
    expect(samplingPlan(14, 1.0).fullInspection).toBe(false)
    expect(samplingPlan(13, 1.0)).toMatchObject({ sampleSize: 13, fullInspection: true })
  })
})

describe('samplingPlan: input checks', () => {
  test('an AQL outside the series is a RangeError', () => {
    for (const aql of [0, 0.02, 3, 2000, -1, Number.NaN]) {
      expect(() => samplingPlan(1000, aql)).toThrow(RangeError)
    }
    expect(() => samplingPlan(1000, 3)).toThrow(/AQL 3 is not in the GB\/T 2828.1 series/)
  })

  test('AQLs parsed from their printed form ("0.010", "1.0", "0.10") are found', () => {
    expect(samplingPlan(1000, Number('0.010'))).toEqual(samplingPlan(1000, 0.01))
    expect(samplingPlan(1000, Number('0.10'))).toMatchObject({ planLetter: 'K', accept: 0 })
    expect(samplingPlan(1000, Number('1.0'))).toMatchObject({ planLetter: 'J', accept: 2 })
  })
})

describe('verdict', () => {
  const plan = samplingPlan(1200, 1.0) // Ac 2, Re 3

  test('accepts at Ac and below, rejects at Re and above', () => {
    expect(verdict(plan, 0)).toBe('accept')
    expect(verdict(plan, 2)).toBe('accept')
    expect(verdict(plan, 3)).toBe('reject')
    expect(verdict(plan, 80)).toBe('reject')
  })

  test('Ac 0 plans reject on the first defect', () => {
    const zero = samplingPlan(8, 6.5)
    expect(verdict(zero, 0)).toBe('accept')
    expect(verdict(zero, 1)).toBe('reject')
  })

  test('a negative or fractional defect count is a RangeError', () => {
    expect(() => verdict(plan, -1)).toThrow(RangeError)
    expect(() => verdict(plan, 1.5)).toThrow(RangeError)
  })
})

describe('properties', () => {
  test('every range × level × AQL resolves to a plan with 0 ≤ Ac < Re and 2 ≤ n ≤ lot', () => {
    let plans = 0
    for (const [first, last] of table1) {
      for (const lot of [first, last]) {
        for (const level of inspectionLevels) {
          for (const aql of aqlValues) {
            expectPlanInvariants(samplingPlan(lot, aql, level), lot)
            plans++
          }
        }
      }
    }
    expect(plans).toBe(15 * 2 * 7 * 26)
  })

  test('any lot size, level and AQL gives a consistent plan', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 100_000_000 }),
        fc.constantFrom(...inspectionLevels),
        fc.constantFrom(...aqlValues),
        (lot, level, aql) => {
          const plan = samplingPlan(lot, aql, level)
          expectPlanInvariants(plan, lot)
          expect(plan.codeLetter).toBe(codeLetter(lot, level))
          expect(verdict(plan, plan.accept)).toBe('accept')
          expect(verdict(plan, plan.reject)).toBe('reject')
        },
      ),
      { numRuns: 2000 },
    )
  })

  test('the default (AQL 1.0, level II) never throws for lot sizes 2..1,000,000', () => {
    let largest = 0
    for (let lot = 2; lot <= 1_000_000; lot++) {
      const plan = samplingPlan(lot, 1.0)
      if (plan.reject !== plan.accept + 1 || plan.sampleSize > lot) {
        throw new Error(`bad plan at lot ${lot}`)
      }
      largest = Math.max(largest, plan.sampleSize)
    }
    expect(largest).toBe(1250)
  })
})
