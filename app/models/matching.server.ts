import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import type { MatchReason, MatchSummary } from '../../db/schema.ts'
import { capacitySummaries, shanghaiToday, type CapacitySummary } from './capacity.server.ts'
import { analysisInMm } from './cad-file.server.ts'
import type { CadAnalysis } from './cad/index.ts'
import { emailJobToWorkshops } from './job.server.ts'
import {
  PricingError,
  priceQuote,
  type PricingGeometry,
  type PricingTables,
  type Quote,
} from './pricing.ts'
import { processes as processCatalogue, type ProcessFamily } from './processes.ts'
import { townByCode } from './towns.ts'
import { type ScoreTerm } from './scoring.ts'
import { getPlatformSettings } from './settings.server.ts'
import { createAutoQuotes, type PricedPart } from './quote.server.ts'

// Matching (DESIGN §6, issue 6): when a job opens, find the resources that can make every
// part, price the job on each, score them with named terms and keep the best. Hard filters
// run in SQL (process, material, tolerance, verified workshop not suspended, active); the
// envelope fit, quantity range, pricing and idle hours before the deadline run here, per
// candidate.

export const DEFAULT_TOP_N = 8

export { defaultWeights, type ScoreTerm } from './scoring.ts'

/** Does a part of these (any order) dimensions fit an envelope in some axis-aligned pose? */
export function fitsEnvelope(part: readonly number[], envelope: readonly number[]): boolean {
  const p = [...part].sort((a, b) => a - b)
  const e = [...envelope].sort((a, b) => a - b)
  // A 2D part (sheet) needs the two largest envelope dimensions.
  const offset = e.length - p.length
  return p.every((d, i) => d <= (e[i + offset] as number) + 1e-9)
}

/** Great-circle distance in km. */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const rad = Math.PI / 180
  const sLat = Math.sin(((b.lat - a.lat) * rad) / 2)
  const sLng = Math.sin(((b.lng - a.lng) * rad) / 2)
  const h = sLat * sLat + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * sLng * sLng
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)))
}

interface Part {
  fileId: string
  quantity: number
  analysis: CadAnalysis
}

/** The families that can make a geometry when the designer left the process open. */
function familiesFor(parts: Part[]): ProcessFamily[] {
  return parts.every((p) => p.analysis.kind === 'sheet')
    ? ['sheet']
    : parts.every((p) => p.analysis.kind === 'mesh')
      ? ['subtractive', 'additive']
      : []
}

function geometryOf(part: Part, thicknessMm: number | null): PricingGeometry | undefined {
  const a = part.analysis
  if (a.kind === 'mesh') {
    return {
      kind: 'mesh',
      volumeMm3: a.volumeMm3,
      surfaceAreaMm2: a.surfaceAreaMm2,
      bboxMm: a.bboxMm,
    }
  }
  if (thicknessMm === null) return undefined
  return {
    kind: 'sheet',
    extentsMm: a.extentsMm,
    cutLengthMm: a.cutLengthMm,
    pierces: a.pierces,
    thicknessMm,
  }
}

interface Candidate {
  resourceId: string
  organizationId: string
  town: string | null
  lat: number | null
  lng: number | null
  rating: number | null
  process: string
  hourlyRateFen: number
  setupFeeFen: number
}

type Miss =
  | 'process'
  | 'material'
  | 'tolerance'
  | 'envelope'
  | 'quantity'
  | 'pricing'
  | 'idle_hours'
  | 'thickness'

/** A candidate's workshop, as scoring reads it. */
interface WorkshopColumns {
  town: string | null
  lat: number | null
  lng: number | null
  rating: number | null
  on_time_rate: number | null
}

/** What fell out at which hard filter: machines in play, then left after each filter. */
interface StageCounts {
  base: number
  material: number
  tolerance: number
  best_tolerance: number | null
  envelope: number
  quantity: number
}

export interface MatchOutcome {
  matched: number
  summary: MatchSummary
}

/**
 * Matches an open job: stores its ranked matches (at most `topN`) with reasons and price
 * estimates, a summary of what fell out and why, and emails the matched workshops' owners —
 * in one transaction. Idempotent: a job already matched is left as it is.
 */
export async function matchJob(
  db: Db,
  jobId: string,
  options: {
    publicUrl: string
    today?: string
    tables?: PricingTables
    weights?: Record<ScoreTerm, number>
    topN?: number
  },
): Promise<MatchOutcome | undefined> {
  const today = options.today ?? shanghaiToday()
  const settings = await getPlatformSettings(db)
  const tables = options.tables ?? settings.pricingTables
  const weights = options.weights ?? settings.weights
  const topN = options.topN ?? DEFAULT_TOP_N

  return db.transaction().execute(async (tx) => {
    // Sent together (one round trip; they run in this order, the parts after the lock).
    const [job, partRows, materialRows] = await Promise.all([
      tx.selectFrom('jobs').selectAll().where('id', '=', jobId).forUpdate().executeTakeFirst(),
      tx
        .selectFrom('job_parts')
        .innerJoin('job_files', 'job_files.id', 'job_parts.file_id')
        .select(['job_files.id', 'job_files.analysis', 'job_files.units', 'job_parts.quantity'])
        .where('job_parts.job_id', '=', jobId)
        .orderBy('job_parts.position')
        .execute(),
      tx
        .selectFrom('materials')
        .select(['code', 'density_g_cm3', 'price_fen_per_kg'])
        .where('active', '=', true)
        .execute(),
    ])
    if (!job || job.status !== 'open' || job.matched_at) return undefined
    const parts: Part[] = partRows.flatMap((r) => {
      const analysis = analysisInMm(r)
      return analysis ? [{ fileId: r.id, quantity: r.quantity, analysis }] : []
    })

    const misses = new Map<Miss, { count: number; best?: string }>()
    const miss = (code: Miss, best?: string) => {
      const m = misses.get(code) ?? { count: 0 }
      m.count++
      if (best !== undefined) m.best = best
      misses.set(code, m)
    }

    // Without a process: every catalogue process of the geometry's families (one that no
    // machine offers matches nothing).
    const families = familiesFor(parts)
    const processes = job.process
      ? [job.process]
      : processCatalogue.filter((p) => families.includes(p.family)).map((p) => p.code)

    // Hard filters in SQL. Which machines are in play: active, of verified workshops not
    // suspended, in the process. Which of those fit: the material, the tolerance, every part
    // in the envelope (sorted dimensions — least, median, greatest — ≥ the element-wise
    // largest sorted part dimensions, which is exactly "every part fits", fitsEnvelope; a
    // sheet needs the two largest) and every quantity in range.
    const need = [0, 0, 0]
    for (const p of parts) {
      if (p.analysis.kind === 'mesh') {
        const d = [...p.analysis.bboxMm].sort((x, y) => x - y)
        for (let i = 0; i < 3; i++) need[i] = Math.max(need[i]!, d[i]!)
      } else {
        const d = [...p.analysis.extentsMm].sort((x, y) => x - y)
        need[1] = Math.max(need[1]!, d[0]!)
        need[2] = Math.max(need[2]!, d[1]!)
      }
    }
    const quantities = parts.map((p) => p.quantity)
    const minQ = Math.min(...quantities)
    const maxQ = Math.max(...quantities)
    const x = sql.ref('resources.envelope_x_mm')
    const y = sql.ref('resources.envelope_y_mm')
    const z = sql.ref('resources.envelope_z_mm')
    const materialOk = job.material
      ? sql<boolean>`${job.material} = any(resources.materials)`
      : sql<boolean>`true`
    const toleranceOk = sql<boolean>`resources.tolerance_mm <= ${job.tolerance_mm}`
    const envelopeOk = sql<boolean>`(least(${x}, ${y}, ${z}) >= ${need[0]}
      and greatest(least(${x}, ${y}), least(greatest(${x}, ${y}), ${z})) >= ${need[1]}
      and greatest(${x}, ${y}, ${z}) >= ${need[2]})`
    const quantityOk = sql<boolean>`(resources.min_quantity <= ${minQ}
      and (resources.max_quantity is null or resources.max_quantity >= ${maxQ}))`
    const inPlay = tx
      .selectFrom('resources')
      .innerJoin('organizations', 'organizations.id', 'resources.organization_id')
      .where('resources.active', '=', true)
      .where('organizations.kind', '=', 'workshop')
      .where('organizations.verification_status', '=', 'verified')
      .where('organizations.suspended_at', 'is', null)
      .where('resources.process', 'in', processes.length ? processes : ['—'])
      .select([
        'resources.id',
        'resources.organization_id',
        'resources.process',
        'resources.hourly_rate_fen',
        'resources.setup_fee_fen',
        'resources.peak_hours_per_day',
        'resources.tolerance_mm',
        // Only read when the job leaves the material open (each machine's cheapest is used).
        (job.material
          ? sql<string[] | null>`null::text[]`
          : sql<string[] | null>`resources.materials`
        ).as('materials'),
        materialOk.as('material_ok'),
        toleranceOk.as('tolerance_ok'),
        envelopeOk.as('envelope_ok'),
        quantityOk.as('quantity_ok'),
      ])
    // One pass over the machines in play (this scan is most of matching's time): each gets
    // its filter flags once. The first row holds the counts of what fell out at which filter
    // (for the designer; for the tolerance, the best of the machines that missed it: "best
    // available 0.01 mm") and the columns of the workshops that have a candidate, once each;
    // then come the machines that pass every filter, narrow and in id order.
    const [first, ...rows] = await tx
      .with(
        (cte) => cte('in_play').materialized(),
        () => inPlay,
      )
      .selectFrom('in_play')
      .select([
        sql<StageCounts | null>`json_build_object(
          'base', count(*),
          'material', count(*) filter (where material_ok),
          'tolerance', count(*) filter (where material_ok and tolerance_ok),
          'best_tolerance', min(tolerance_mm) filter (where material_ok and not tolerance_ok),
          'envelope', count(*) filter (where material_ok and tolerance_ok and envelope_ok),
          'quantity', count(*) filter (where material_ok and tolerance_ok and envelope_ok
            and quantity_ok))`.as('stages'),
        sql<Record<string, WorkshopColumns> | null>`(
          select json_object_agg(o.id, json_build_object('town', o.town, 'lat', o.lat,
            'lng', o.lng, 'rating', o.rating, 'on_time_rate', o.on_time_rate))
          from organizations o
          where o.id in (select organization_id from in_play where material_ok
            and tolerance_ok and envelope_ok and quantity_ok))`.as('workshops'),
        sql<string | null>`null::uuid`.as('resourceId'),
        sql<string | null>`null::uuid`.as('organizationId'),
        sql<string | null>`null::text`.as('process'),
        sql<number | null>`null::bigint`.as('hourlyRateFen'),
        sql<number | null>`null::bigint`.as('setupFeeFen'),
        sql<number | null>`null::numeric`.as('peakHoursPerDay'),
        sql<string[] | null>`null::text[]`.as('materials'),
      ])
      .unionAll((qc) =>
        qc
          .selectFrom('in_play')
          .where(sql<boolean>`material_ok and tolerance_ok and envelope_ok and quantity_ok`)
          .select([
            sql<StageCounts | null>`null`.as('stages'),
            sql<Record<string, WorkshopColumns> | null>`null`.as('workshops'),
            'id as resourceId',
            'organization_id as organizationId',
            'process',
            'hourly_rate_fen as hourlyRateFen',
            'setup_fee_fen as setupFeeFen',
            'peak_hours_per_day as peakHoursPerDay',
            'materials',
          ]),
      )
      .orderBy(sql`${sql.ref('resourceId')} nulls first`)
      .execute()
    const stages = first!.stages!
    const missBy = (code: Miss, count: number, best?: string) => {
      if (count > 0) misses.set(code, best === undefined ? { count } : { count, best })
    }
    if (stages.base === 0) misses.set('process', { count: 0 })
    missBy('material', stages.base - stages.material)
    missBy(
      'tolerance',
      stages.material - stages.tolerance,
      stages.best_tolerance === null ? undefined : `${stages.best_tolerance} mm`,
    )
    missBy('envelope', stages.tolerance - stages.envelope)
    missBy('quantity', stages.envelope - stages.quantity)

    const workshops = new Map(Object.entries(first!.workshops ?? {}))

    const materials = new Map(materialRows.map((m) => [m.code, m]))
    const deliveryTown = townByCode(job.delivery_town)

    interface Priced {
      candidate: Candidate
      totalFen: number
      leadDays: number
      machineHours: number
      distance: number | null
      material: string
      sampleFen: number
      perPart: Record<string, unknown>[]
    }
    // One workshop's machine, priced: what is kept of each of thousands of candidates. The
    // match itself (Priced) is built only for the candidates whose calendars are read.
    interface Pricing {
      material: string
      totalFen: number
      sampleFen: number
      machineHours: number
      leadDays: number
      perPart: Record<string, unknown>[]
    }
    type Row = (typeof rows)[number]
    type Workshop = NonNullable<ReturnType<typeof workshops.get>>
    interface Scored {
      row: Row
      workshop: Workshop
      pricing: Pricing
      partial: number
    }
    // The stored estimate of a match (built for the top N only).
    const estimateOf = (p: Priced) => ({
      material: p.material,
      total_fen: p.totalFen,
      sample_price_fen: p.sampleFen,
      machine_hours: Math.round(p.machineHours * 100) / 100,
      batch_lead_days: p.leadDays,
      parts: p.perPart.map(({ fileId, quantity, quote }) => {
        const q = quote as Quote
        return {
          file_id: fileId,
          quantity,
          unit_price_fen: q.unitPriceFen,
          setup_fen: q.setupFen,
          total_fen: q.totalFen,
          sample_price_fen: q.samplePriceFen,
          sample_lead_days: q.sampleLeadDays,
          batch_lead_days: q.batchLeadDays,
          machine_hours: q.machineHours,
          breakdown: q.breakdown,
          notes: q.notes,
        }
      }),
    })
    // Machines of one process differ in price only by material, rates and setup fee:
    // thousands of candidates share a few hundred prices, worked out once each.
    const quotes = new Map<string, Quote | null>()
    // By process, material, hourly rate and setup fee: nested, so that no key is built for
    // each of thousands of candidates.
    const pricings = new Map<string, Map<string, Map<number, Map<number, Pricing | Miss>>>>()
    const priceJob = (
      row: Row,
      material: { code: string; density_g_cm3: number; price_fen_per_kg: number },
    ): Pricing | Miss => {
      const process = row.process!
      const resource = { hourlyRateFen: row.hourlyRateFen!, setupFeeFen: row.setupFeeFen! }
      let totalFen = 0
      let sampleFen = 0
      let machineHours = 0
      let leadDays = 0
      const perPart: Record<string, unknown>[] = []
      for (const part of parts) {
        const geometry = geometryOf(part, job.thickness_mm)
        if (!geometry) return 'thickness'
        const key = `${part.fileId}|${process}|${material.code}|${resource.hourlyRateFen}|${resource.setupFeeFen}`
        let quote = quotes.get(key)
        if (quote === undefined) {
          try {
            quote = priceQuote({
              process,
              material: {
                code: material.code,
                densityGCm3: material.density_g_cm3,
                priceFenPerKg: material.price_fen_per_kg,
              },
              geometry,
              quantity: part.quantity,
              finish: job.finish,
              resource,
              tables,
            })
          } catch (error) {
            if (!(error instanceof PricingError)) throw error
            quote = null
          }
          quotes.set(key, quote)
        }
        if (quote === null) return 'pricing'
        totalFen += quote.totalFen
        sampleFen += quote.samplePriceFen
        machineHours += quote.machineHours
        leadDays = Math.max(leadDays, quote.batchLeadDays)
        perPart.push({ fileId: part.fileId, quantity: part.quantity, quote })
      }
      return { material: material.code, totalFen, sampleFen, machineHours, leadDays, perPart }
    }
    const scored: Scored[] = []
    for (const row of rows) {
      // Material: the job's (every row has it, by the SQL filter), else the cheapest this
      // machine works that suits it.
      const material = job.material
        ? materials.get(job.material)
        : (row.materials ?? [])
            .filter((m) => materials.has(m))
            .map((code) => materials.get(code))
            .filter((m) => m !== undefined)
            .sort(
              (a, b) => a.price_fen_per_kg - b.price_fen_per_kg || a.code.localeCompare(b.code),
            )[0]
      // The job's material is not in the catalogue, or (without one) none of the machine's.
      if (!material) {
        miss('material')
        continue
      }
      // No envelope check here: the SQL filter is exactly fitsEnvelope for every part.
      let byMaterial = pricings.get(row.process!)
      if (!byMaterial) pricings.set(row.process!, (byMaterial = new Map()))
      let byRate = byMaterial.get(material.code)
      if (!byRate) byMaterial.set(material.code, (byRate = new Map()))
      let bySetup = byRate.get(row.hourlyRateFen!)
      if (!bySetup) byRate.set(row.hourlyRateFen!, (bySetup = new Map()))
      let pricing = bySetup.get(row.setupFeeFen!)
      if (pricing === undefined) bySetup.set(row.setupFeeFen!, (pricing = priceJob(row, material)))
      if (typeof pricing === 'string') {
        miss(pricing)
        continue
      }
      scored.push({ row, workshop: workshops.get(row.organizationId!)!, pricing, partial: 0 })
    }

    // Score: each term 0…1 (1 best), weighted; ties broken by price, then resource id. The
    // idle hours before the deadline (a hard filter, and the idle-share term) are read from
    // the calendar only for the candidates that can still make the top N: best partial score
    // first, in batches, until the next one could not beat the N-th even with a full
    // idle-share term. With thousands of candidates this reads a few hundred calendars.
    let minTotal = Infinity
    let minLead = Infinity
    for (const { pricing } of scored) {
      minTotal = Math.min(minTotal, pricing.totalFen)
      minLead = Math.min(minLead, pricing.leadDays)
    }
    interface Term {
      value: number
      score: number
    }
    // The terms but the idle share: price and lead time depend on the price only, the rest on
    // the workshop only, so each is worked out once per price and once per workshop.
    const priceTerms = new Map<Pricing, { price: Term; lead_time: Term }>()
    const priceTermsOf = (pricing: Pricing) => {
      let terms = priceTerms.get(pricing)
      if (!terms) {
        const { totalFen, leadDays } = pricing
        terms = {
          price: { value: totalFen, score: totalFen > 0 ? minTotal / totalFen : 1 },
          lead_time: { value: leadDays, score: leadDays > 0 ? minLead / leadDays : 1 },
        }
        priceTerms.set(pricing, terms)
      }
      return terms
    }
    const workshopTerms = new Map<
      Workshop,
      { distance: number | null; terms: { distance: Term; rating: Term; on_time: Term } }
    >()
    const workshopTermsOf = (workshop: Workshop) => {
      let entry = workshopTerms.get(workshop)
      if (!entry) {
        const { lat, lng, rating, on_time_rate: onTime } = workshop
        const distance =
          deliveryTown && lat !== null && lng !== null
            ? distanceKm(deliveryTown, { lat, lng })
            : null
        entry = {
          distance,
          terms: {
            distance: {
              value: distance === null ? -1 : Math.round(distance * 10) / 10,
              score: distance === null ? 0.5 : Math.max(0, 1 - distance / 60),
            },
            rating: { value: rating ?? 0, score: (rating ?? 3.5) / 5 },
            // The share of its completed orders shipped by the deadline. Without any (-1) a
            // new workshop scores as a punctual one: it is not penalised for being new.
            on_time: onTime === null ? { value: -1, score: 1 } : { value: onTime, score: onTime },
          },
        }
        workshopTerms.set(workshop, entry)
      }
      return entry
    }
    // The weighted sum, term by term in this order (the same sum to the last bit for every
    // candidate of a price and workshop).
    const weighted = <T extends string & keyof typeof weights>(
      sum: number,
      terms: Record<T, Term>,
      order: readonly T[],
    ) => order.reduce((s, term) => s + weights[term] * terms[term].score, sum)
    const priceOrder = ['price', 'lead_time'] as const
    const workshopOrder = ['distance', 'rating', 'on_time'] as const
    const priceShare = new Map<Pricing, number>()
    for (const s of scored) {
      let share = priceShare.get(s.pricing)
      if (share === undefined) {
        share = weighted(0, priceTermsOf(s.pricing), priceOrder)
        priceShare.set(s.pricing, share)
      }
      s.partial = weighted(share, workshopTermsOf(s.workshop).terms, workshopOrder)
    }
    scored.sort(
      (a, b) =>
        b.partial - a.partial ||
        a.pricing.totalFen - b.pricing.totalFen ||
        a.row.resourceId!.localeCompare(b.row.resourceId!),
    )
    const pricedOf = ({ row, workshop, pricing }: Scored): Priced => ({
      candidate: {
        resourceId: row.resourceId!,
        organizationId: row.organizationId!,
        town: workshop.town,
        lat: workshop.lat,
        lng: workshop.lng,
        rating: workshop.rating,
        process: row.process!,
        hourlyRateFen: row.hourlyRateFen!,
        setupFeeFen: row.setupFeeFen!,
      },
      totalFen: pricing.totalFen,
      leadDays: pricing.leadDays,
      machineHours: pricing.machineHours,
      distance: workshopTermsOf(workshop).distance,
      material: pricing.material,
      sampleFen: pricing.sampleFen,
      perPart: pricing.perPart,
    })
    const range = { from: today, days: Math.max(1, dayDiff(today, job.deadline)) }
    const best = new Map<string, Priced & { reasons: MatchReason[]; score: number }>()
    const nthScore = () => {
      if (best.size < topN) return -Infinity
      return [...best.values()].map((m) => m.score).sort((x, y) => y - x)[topN - 1]!
    }
    const BATCH = 64
    // Calendars are read ahead of the batches, each read four times the last, and only those
    // that may hold the hours: a machine has no more idle hours before the deadline than its
    // peak hours a day (the most any of its windows offers, kept on the resource) times the
    // days, rounded as capacitySummaries rounds. A machine whose peak falls short is left
    // unread: without a summary it has 0 idle hours, the miss its calendar would have given.
    // So a heavy job reads the calendars of the few machines that may have the hours, not of
    // the thousands that cannot, and a job that most machines lack the hours for goes through
    // the rest in a few queries. What a batch sees does not depend on how its calendars were
    // read.
    const mayHaveHours = (s: Scored) =>
      Math.round(s.row.peakHoursPerDay! * range.days * 10) / 10 >= s.pricing.machineHours
    const idle = new Map<string, CapacitySummary>()
    let read = 0
    let readAhead = BATCH
    for (let i = 0; i < scored.length; i += BATCH) {
      if (scored[i]!.partial + weights.idle_share < nthScore()) break
      const batch = scored.slice(i, i + BATCH)
      if (read < i + batch.length) {
        const upTo = Math.min(scored.length, read + readAhead)
        const summaries = await capacitySummaries(
          tx,
          scored
            .slice(read, upTo)
            .filter(mayHaveHours)
            .map((s) => s.row.resourceId!),
          range,
        )
        for (const [id, summary] of summaries) idle.set(id, summary)
        read = upTo
        readAhead *= 4
      }
      for (const s of batch) {
        const { machineHours, totalFen } = s.pricing
        const summary = idle.get(s.row.resourceId!)
        const idleHours = summary?.idle ?? 0
        if (idleHours < machineHours) {
          miss('idle_hours', `${Math.round(machineHours * 10) / 10} h`)
          continue
        }
        const terms = {
          ...priceTermsOf(s.pricing),
          ...workshopTermsOf(s.workshop).terms,
          idle_share: {
            value: idleHours,
            score: summary && summary.offered > 0 ? Math.min(1, idleHours / summary.offered) : 0,
          },
        }
        const reasons: MatchReason[] = (Object.keys(weights) as ScoreTerm[]).map((term) => ({
          term,
          value: terms[term].value,
          weight: weights[term],
          contribution: Math.round(weights[term] * terms[term].score * 10000) / 10000,
        }))
        const score =
          Math.round(reasons.reduce((sum, r) => sum + r.contribution, 0) * 10000) / 10000
        // One match per workshop: its best machine.
        const current = best.get(s.row.organizationId!)
        if (
          !current ||
          score > current.score ||
          (score === current.score && totalFen < current.totalFen)
        ) {
          best.set(s.row.organizationId!, { ...pricedOf(s), reasons, score })
        }
      }
    }
    const top = [...best.values()]
      .sort(
        (a, b) =>
          b.score - a.score ||
          a.totalFen - b.totalFen ||
          a.candidate.resourceId.localeCompare(b.candidate.resourceId),
      )
      .slice(0, topN)

    if (top.length) {
      const stored = await tx
        .insertInto('matches')
        .values(
          top.map((s, i) => ({
            job_id: jobId,
            resource_id: s.candidate.resourceId,
            organization_id: s.candidate.organizationId,
            rank: i + 1,
            score: s.score,
            reasons: s.reasons,
            estimate: estimateOf(s),
          })),
        )
        .onConflict((oc) => oc.columns(['job_id', 'resource_id']).doNothing())
        .returning(['id', 'resource_id'])
        .execute()
      const matchIds = new Map(stored.map((m) => [m.resource_id, m.id]))
      await createAutoQuotes(
        tx,
        jobId,
        top.flatMap((s) => {
          const matchId = matchIds.get(s.candidate.resourceId)
          return matchId
            ? [
                {
                  matchId,
                  organizationId: s.candidate.organizationId,
                  resourceId: s.candidate.resourceId,
                  material: s.material,
                  parts: s.perPart as unknown as PricedPart[],
                },
              ]
            : []
        }),
        { platformFeeBps: tables.platformFeeBps, validityDays: settings.quoteValidityDays },
      )
    }
    const summary: MatchSummary = {
      matched: top.length,
      misses: [...misses].map(([code, m]) => ({ code, ...m })),
    }
    await tx
      .updateTable('jobs')
      .set({ match_summary: summary, matched_at: sql<Date>`now()` })
      .where('id', '=', jobId)
      .execute()
    await emailJobToWorkshops(
      tx,
      job,
      top.map((s) => s.candidate.organizationId),
      'job-matched',
      options.publicUrl,
    )
    return { matched: top.length, summary }
  })
}

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000)
}

/** A job's matches, best first, with the workshop and machine (owner and operators). */
export function listMatches(db: Db | Tx, jobId: string) {
  return db
    .selectFrom('matches')
    .innerJoin('resources', 'resources.id', 'matches.resource_id')
    .innerJoin('organizations', 'organizations.id', 'matches.organization_id')
    .select([
      'matches.id',
      'matches.rank',
      'matches.score',
      'matches.reasons',
      'matches.estimate',
      'matches.resource_id',
      'matches.organization_id as workshop_id',
      'organizations.name as workshop_name',
      'organizations.town',
      'organizations.rating',
      'resources.name as resource_name',
      'resources.process',
    ])
    .where('matches.job_id', '=', jobId)
    .orderBy('matches.rank')
    .execute()
}

/** Is the workshop among the job's matches? (Matched counts as invited for the files.) */
export async function isMatched(db: Db | Tx, jobId: string, organizationId: string) {
  const row = await db
    .selectFrom('matches')
    .select('id')
    .where('job_id', '=', jobId)
    .where('organization_id', '=', organizationId)
    .limit(1)
    .executeTakeFirst()
  return Boolean(row)
}
