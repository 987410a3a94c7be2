// The named terms of a match's score (DESIGN §6). Client-safe: the console's weights form
// lists them; matching.server.ts computes them.

/** Default weights of the score's terms (they sum to 1); operators tune them in the console. */
export const defaultWeights = {
  price: 0.35,
  lead_time: 0.15,
  distance: 0.1,
  rating: 0.15,
  on_time: 0.05,
  idle_share: 0.2,
} as const
export type ScoreTerm = keyof typeof defaultWeights
export const scoreTerms = Object.keys(defaultWeights) as ScoreTerm[]
