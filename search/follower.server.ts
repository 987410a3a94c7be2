// Keeps one process's embedded capability index in line with PostgreSQL across processes: it
// builds the index from PostgreSQL, then follows search_changes (written by
// search/changes.server.ts in the transaction of every change) and re-indexes each change's
// scope. It is the only writer of its index. See docs/decisions/017-search-change-feed.md.
//
// Ids come from a sequence, so a transaction that took id 5 may commit after the one that
// took id 6: a follower that has read 6 would never ask for 5 again. Every id skipped between
// two rows read is therefore a hole, asked for again on each poll until it shows up or is
// older than HOLE_TTL_MS (a rolled-back transaction leaves a hole that never fills).
// Applying a change twice is harmless: documents are always re-read from PostgreSQL.
import { sql } from 'kysely'
import postgres from 'postgres'
import type { Db } from '../db/client.ts'
import type { SearchChangeScope } from '../db/schema.ts'
import type { Logger } from '../app/utils/logger.server.ts'
import { SEARCH_CHANNEL } from './changes.server.ts'
import { allCapabilityDocuments, loadCapabilityDocuments } from './document.ts'
import type { CapabilityDocument, CapabilityIndex } from './types.ts'

const POLL_MS = 1000
/** Longer than any transaction that records a change stays open. */
const HOLE_TTL_MS = 10 * 60_000
/** Beyond this many holes (a huge rolled-back batch) a full rebuild is the simpler truth. */
const MAX_HOLES = 10_000
/** Changes read per query; a backlog is read in pages. */
const PAGE = 5000
const RESOURCE_CHUNK = 1000
/** While the database stays down, one warning per this long rather than one per poll. */
const WARN_EVERY_MS = 60_000

export interface SearchFollowerOptions {
  logger: Logger
  /** How often the feed is read (default 1 s). */
  pollMs?: number
  /**
   * The database to LISTEN on for new changes, which are then read at once (a save is
   * searchable in milliseconds, not at the next poll). Polling stays the safety net.
   */
  listenUrl?: string
}

export interface SearchFollower {
  /** The highest change id applied so far. */
  readonly position: number
  /** Stops polling; waits for a poll in progress. */
  stop(): Promise<void>
}

interface Change {
  id: number
  scope: SearchChangeScope
}

/**
 * Builds `index` from PostgreSQL (the feed position is taken first, so nothing committed
 * during the build is missed), then applies every change in search_changes every `pollMs`.
 * A failed poll (database down) is logged and retried on the next one; it never throws.
 */
export async function startSearchFollower(
  db: Db,
  index: CapabilityIndex,
  options: SearchFollowerOptions,
): Promise<SearchFollower> {
  const { logger } = options
  const pollMs = options.pollMs ?? POLL_MS
  let position = 0
  /** Skipped ids → when first seen missing (ms). */
  let holes = new Map<number, number>()
  let rebuildNeeded = false
  let lastSuccess = Date.now()
  let failingSince: number | undefined
  let lastWarning = 0

  /** The position and the holes before it in the recent past, then every document. */
  async function rebuild(reason: string) {
    const started = Date.now()
    const recent = await sql<{ id: number }>`
      select id from search_changes
      where created_at > now() - make_interval(secs => ${HOLE_TTL_MS / 1000})
        or id = (select max(id) from search_changes)
      order by id`.execute(db)
    const ids = recent.rows.map((r) => Number(r.id))
    const found = new Map<number, number>()
    for (let i = 1; i < ids.length; i++) {
      const from = ids[i - 1] as number
      const to = ids[i] as number
      if (to - from - 1 > MAX_HOLES) continue // a sequence jump, not transactions in flight
      for (let id = from + 1; id < to; id++) found.set(id, started)
    }
    await index.replaceAll(allCapabilityDocuments(db))
    position = ids.at(-1) ?? 0
    holes = found
    rebuildNeeded = false
    const { documents } = await index.health()
    logger.info({ documents, ms: Date.now() - started, position, reason }, 'search index built')
  }

  async function read(): Promise<Change[]> {
    const skipped = [...holes.keys()]
    const rows = await db
      .selectFrom('search_changes')
      .select(['id', 'scope'])
      .where((eb) =>
        skipped.length
          ? eb.or([eb('id', '>', position), eb('id', '=', eb.fn.any(eb.val(skipped)))])
          : eb('id', '>', position),
      )
      .orderBy('id')
      .limit(PAGE)
      .execute()
    return rows.map((r) => ({ id: Number(r.id), scope: r.scope }))
  }

  /** Re-indexes the scopes; later loads win over earlier ones for the same resource. */
  async function apply(changes: Change[]) {
    if (changes.some((c) => 'all' in c.scope)) {
      await index.replaceAll(allCapabilityDocuments(db))
      return
    }
    const organizations = new Set<string>()
    const resources = new Set<string>()
    for (const { scope } of changes) {
      if ('organizationId' in scope) organizations.add(scope.organizationId)
      else if ('resourceIds' in scope) for (const id of scope.resourceIds) resources.add(id)
    }
    const latest = new Map<string, CapabilityDocument | null>()
    const take = ({
      documents,
      missing,
    }: {
      documents: CapabilityDocument[]
      missing: string[]
    }) => {
      for (const doc of documents) latest.set(doc.id, doc)
      for (const id of missing) latest.set(id, null)
    }
    for (const organizationId of organizations) {
      take(await loadCapabilityDocuments(db, { organizationId }))
    }
    const ids = [...resources]
    for (let i = 0; i < ids.length; i += RESOURCE_CHUNK) {
      take(await loadCapabilityDocuments(db, { resourceIds: ids.slice(i, i + RESOURCE_CHUNK) }))
    }
    const upserts: CapabilityDocument[] = []
    const removals: string[] = []
    for (const [id, doc] of latest) {
      if (doc) upserts.push(doc)
      else removals.push(id)
    }
    if (upserts.length) await index.upsert(upserts)
    if (removals.length) await index.remove(removals)
  }

  /** Moves the position past `changes` (already applied) and notes the ids skipped. */
  function advance(changes: Change[], now: number) {
    for (const { id } of changes) {
      if (id <= position) {
        holes.delete(id)
        continue
      }
      if (id - position - 1 > MAX_HOLES) rebuildNeeded = true
      else for (let skipped = position + 1; skipped < id; skipped++) holes.set(skipped, now)
      position = id
    }
    for (const [id, seen] of holes) if (now - seen > HOLE_TTL_MS) holes.delete(id)
    if (holes.size > MAX_HOLES) rebuildNeeded = true
  }

  async function poll() {
    // Down for longer than a hole is remembered: what was missed cannot be told apart.
    if (failingSince !== undefined && Date.now() - lastSuccess > HOLE_TTL_MS) rebuildNeeded = true
    if (rebuildNeeded) {
      await rebuild(failingSince !== undefined ? 'after an outage' : 'feed gap')
      return
    }
    for (;;) {
      const changes = await read()
      if (changes.length === 0) break
      await apply(changes)
      advance(changes, Date.now())
      if (rebuildNeeded || changes.length < PAGE) break
    }
  }

  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  /** A notification came during a poll: poll again as soon as it ends. */
  let again = false
  const tick = () => {
    clearTimeout(timer)
    running = poll()
      .then(() => {
        if (failingSince !== undefined) {
          logger.info({ downMs: Date.now() - failingSince, position }, 'search follower recovered')
        }
        failingSince = undefined
        lastSuccess = Date.now()
      })
      .catch((error: unknown) => {
        const now = Date.now()
        failingSince ??= now
        if (now - lastWarning >= WARN_EVERY_MS || lastWarning < failingSince) {
          lastWarning = now
          logger.warn(
            { err: error, position, failingMs: now - failingSince },
            'search follower cannot read changes; retrying',
          )
        }
      })
      .finally(() => {
        running = undefined
        if (stopped) return
        if (again && failingSince === undefined) {
          again = false
          tick()
        } else schedule()
      })
  }
  const schedule = () => {
    timer = setTimeout(tick, pollMs)
    timer.unref()
  }
  const nudge = () => {
    if (stopped) return
    if (running) again = true
    else tick()
  }

  await rebuild('start')
  schedule()
  // postgres.js keeps the LISTEN connection and re-listens after it reconnects.
  const listener = options.listenUrl
    ? postgres(options.listenUrl, { max: 1, onnotice: () => {} })
    : undefined
  if (listener) {
    await listener.listen(SEARCH_CHANNEL, nudge).catch((error: unknown) => {
      logger.warn({ err: error }, 'search follower cannot LISTEN; polling only')
    })
  }
  return {
    get position() {
      return position
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await listener?.end({ timeout: 1 }).catch(() => {})
      await running
    },
  }
}
