// Sampling inspection (品检, issue 7): single sampling plans for normal inspection from
// GB/T 2828.1-2012, which is identical in content to ISO 2859-1:1999 (and its tables to
// ANSI/ASQ Z1.4 and MIL-STD-105E). Pure and client-safe: no I/O, the tables are data below.
//
//   Table 1    lot size × inspection level → sample size code letter (A…R).
//   Table 2-A  code letter × AQL → sample size n and acceptance / rejection numbers Ac / Re.
//
// An arrow in Table 2-A means "use the first sampling plan below (↓) / above (↑) the arrow":
// the whole plan comes from that row, its sample size included. If that sample size equals or
// exceeds the lot size, every unit is inspected (n = lot size) against the same Ac / Re.
// AQLs up to 10 are percent nonconforming or nonconformities per 100 units; above 10 only
// nonconformities per 100 units, which is why Ac may exceed n there.

export const inspectionLevels = ['S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III'] as const
export type InspectionLevel = (typeof inspectionLevels)[number]

export const codeLetters = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'J',
  'K',
  'L',
  'M',
  'N',
  'P',
  'Q',
  'R',
] as const
export type CodeLetter = (typeof codeLetters)[number]

/** The AQL series of Table 2-A, in the order of its columns. */
export const aqlValues = [
  0.01, 0.015, 0.025, 0.04, 0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10, 15, 25, 40,
  65, 100, 150, 250, 400, 650, 1000,
] as const
export type Aql = (typeof aqlValues)[number]

/** Sample size of each code letter (Table 2-A, second column). */
export const sampleSizes: Readonly<Record<CodeLetter, number>> = {
  A: 2,
  B: 3,
  C: 5,
  D: 8,
  E: 13,
  F: 20,
  G: 32,
  H: 50,
  J: 80,
  K: 125,
  L: 200,
  M: 315,
  N: 500,
  P: 800,
  Q: 1250,
  R: 2000,
}

// Table 1. Each row: the largest lot size of the range, then the letters for
// S-1 S-2 S-3 S-4 I II III (the order of `inspectionLevels`).
const table1Rows: readonly (readonly [maxLotSize: number, letters: string])[] = [
  [8, 'A A A A A A B'],
  [15, 'A A A A A B C'],
  [25, 'A A B B B C D'],
  [50, 'A B B C C D E'],
  [90, 'B B C C C E F'],
  [150, 'B B C D D F G'],
  [280, 'B C D E E G H'],
  [500, 'B C D E F H J'],
  [1200, 'C C E F G J K'],
  [3200, 'C D E G H K L'],
  [10000, 'C D F G J L M'],
  [35000, 'C D F H K M N'],
  [150000, 'D E G J L N P'],
  [500000, 'D E G J M P Q'],
  [Infinity, 'D E H K N Q R'],
]

// Table 2-A, normal inspection, single sampling. A number is Ac (Re is always Ac + 1 in this
// table); ↓ / ↑ are the arrows. Read along an anti-diagonal (one letter down, one AQL left)
// every cell is the same: Ac 0, ↑, ↓, then 1 2 3 5 7 10 14 21, with 30 and 44 only in rows A–E;
// beyond that ↑. At the two edges the printed arrow can only point one way: A at 10 is ↓ (to
// C's 1/2) and R at 0.015 is ↑ (through Q to P's 0/1).
// prettier-ignore
const table2ARows: Readonly<Record<CodeLetter, string>> = {
  //  .010 .015 .025 .040 .065  .10  .15  .25  .40  .65  1.0  1.5  2.5  4.0  6.5   10   15   25   40   65  100  150  250  400  650 1000
  A: '   ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    0    ↓    ↓    1    2    3    5    7   10   14   21   30',
  B: '   ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21   30   44',
  C: '   ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21   30   44    ↑',
  D: '   ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21   30   44    ↑    ↑',
  E: '   ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21   30   44    ↑    ↑    ↑',
  F: '   ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑',
  G: '   ↓    ↓    ↓    ↓    ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
  H: '   ↓    ↓    ↓    ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
  J: '   ↓    ↓    ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
  K: '   ↓    ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
  L: '   ↓    ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
  M: '   ↓    ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
  N: '   ↓    ↓    0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
  P: '   ↓    0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
  Q: '   0    ↑    ↓    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
  R: '   ↑    ↑    1    2    3    5    7   10   14   21    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑    ↑',
}

/** A cell of Table 2-A: Ac, or an arrow to the first plan below / above. */
export type Table2ACell = number | 'down' | 'up'

function isCodeLetter(value: string): value is CodeLetter {
  return (codeLetters as readonly string[]).includes(value)
}

const table1: readonly { maxLotSize: number; letters: readonly CodeLetter[] }[] = table1Rows.map(
  ([maxLotSize, row]) => {
    const letters = row.split(' ')
    if (letters.length !== inspectionLevels.length || !letters.every(isCodeLetter)) {
      throw new Error(`Table 1 row up to ${maxLotSize} is malformed`)
    }
    return { maxLotSize, letters }
  },
)

function parseTable2ARow(letter: CodeLetter): readonly Table2ACell[] {
  const cells = table2ARows[letter]
    .trim()
    .split(/\s+/)
    .map((token): Table2ACell => {
      if (token === '↓') return 'down'
      if (token === '↑') return 'up'
      if (/^\d+$/.test(token)) return Number(token)
      throw new Error(`Table 2-A row ${letter} has a bad cell "${token}"`)
    })
  if (cells.length !== aqlValues.length) {
    throw new Error(`Table 2-A row ${letter} has ${cells.length} cells, not ${aqlValues.length}`)
  }
  return cells
}

const parsedTable2A = {} as Record<CodeLetter, readonly Table2ACell[]>
for (const letter of codeLetters) parsedTable2A[letter] = parseTable2ARow(letter)

/** Table 2-A as data: per code letter, one cell per entry of `aqlValues`. */
export const table2A: Readonly<Record<CodeLetter, readonly Table2ACell[]>> = parsedTable2A

export interface SamplingPlan {
  /** The code letter of Table 1 for the lot size and inspection level. */
  codeLetter: CodeLetter
  /** The letter whose row of Table 2-A gave the plan after following arrows. */
  planLetter: CodeLetter
  /** Units to inspect: the plan letter's sample size, or the whole lot if that is not smaller. */
  sampleSize: number
  /** Ac: accept the lot with at most this many nonconforming units (nonconformities). */
  accept: number
  /** Re: reject the lot with at least this many. */
  reject: number
  /** True when the plan's sample size reached the lot size, so every unit is inspected. */
  fullInspection: boolean
}

function assertLotSize(lotSize: number): void {
  if (!Number.isInteger(lotSize) || lotSize < 2) {
    throw new RangeError(`Lot size must be a whole number of at least 2, got ${lotSize}`)
  }
}

/** The sample size code letter of GB/T 2828.1 Table 1. */
export function codeLetter(lotSize: number, level: InspectionLevel): CodeLetter {
  assertLotSize(lotSize)
  const levelIndex = inspectionLevels.indexOf(level)
  if (levelIndex === -1) {
    throw new RangeError(
      `Unknown inspection level "${level}"; expected one of ${inspectionLevels.join(', ')}`,
    )
  }
  const row = table1.find((r) => lotSize <= r.maxLotSize)
  const letter = row?.letters[levelIndex]
  // The last row is unbounded, so a valid lot size always finds its letter.
  if (letter === undefined) throw new Error(`Table 1 has no row for lot size ${lotSize}`)
  return letter
}

/** The single sampling plan for normal inspection (GB/T 2828.1 Tables 1 and 2-A). */
export function samplingPlan(
  lotSize: number,
  aql: number,
  level: InspectionLevel = 'II',
): SamplingPlan {
  const letter = codeLetter(lotSize, level)
  const column = (aqlValues as readonly number[]).indexOf(aql)
  if (column === -1) {
    throw new RangeError(`AQL ${aql} is not in the GB/T 2828.1 series: ${aqlValues.join(', ')}`)
  }
  let row = codeLetters.indexOf(letter)
  for (;;) {
    const planLetter = codeLetters[row]
    const cell = planLetter === undefined ? undefined : table2A[planLetter][column]
    if (planLetter === undefined || cell === undefined) {
      // Unreachable with the table above (the tests resolve every cell); keep it loud.
      throw new Error(`Table 2-A arrow from ${letter} at AQL ${aql} leaves the table`)
    }
    if (typeof cell === 'number') {
      const planSampleSize = sampleSizes[planLetter]
      const fullInspection = planSampleSize >= lotSize
      return {
        codeLetter: letter,
        planLetter,
        sampleSize: fullInspection ? lotSize : planSampleSize,
        accept: cell,
        reject: cell + 1,
        fullInspection,
      }
    }
    row += cell === 'down' ? 1 : -1
  }
}

/** Accept the lot when the defects found are at most Ac, reject when at least Re. */
export function verdict(
  plan: Pick<SamplingPlan, 'accept' | 'reject'>,
  defectsFound: number,
): 'accept' | 'reject' {
  if (!Number.isInteger(defectsFound) || defectsFound < 0) {
    throw new RangeError(`Defects found must be a whole number ≥ 0, got ${defectsFound}`)
  }
  if (defectsFound <= plan.accept) return 'accept'
  if (defectsFound >= plan.reject) return 'reject'
  // Single sampling has Re = Ac + 1; a plan with a gap is not one of these.
  throw new RangeError(`Plan Ac ${plan.accept} / Re ${plan.reject} is not a single sampling plan`)
}
