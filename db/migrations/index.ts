import type { Migration } from 'kysely'
import * as foundation from './20261123T1930_foundation.ts'
import * as workshopsResources from './20261123T2015_workshops_resources.ts'
import * as jobs from './20261130T1700_jobs.ts'
import * as matching from './20261130T1900_matching.ts'
import * as matchingIndexes from './20261130T1915_matching_indexes.ts'
import * as quotesOrders from './20261130T2030_quotes_orders.ts'
import * as orderLifecycle from './20261130T2130_order_lifecycle.ts'
import * as messageIndexes from './20261201T0900_message_indexes.ts'
import * as matchingSpeed from './20261201T1000_matching_speed.ts'
import * as money from './20261202T0900_money.ts'
import * as suspensions from './20261203T0900_suspensions.ts'
import * as metrics from './20261203T1000_metrics.ts'
import * as resourceOfferedHours from './20261203T1100_resource_offered_hours.ts'
import * as metricsStatementTriggers from './20261203T1200_metrics_statement_triggers.ts'
import * as metricsLevels from './20261204T0900_metrics_levels.ts'
import * as rateLimits from './20261205T0900_rate_limits.ts'
import * as searchChanges from './20261205T1000_search_changes.ts'
import * as metricsDirty from './20261205T1100_metrics_dirty.ts'

// Every migration, by name, in order. Static imports so tsx, vitest and any bundler load
// them alike; tests/unit/migrations.test.ts checks this list against the folder.
export const migrations: Record<string, Migration> = {
  '20261123T1930_foundation': foundation,
  '20261123T2015_workshops_resources': workshopsResources,
  '20261130T1700_jobs': jobs,
  '20261130T1900_matching': matching,
  '20261130T1915_matching_indexes': matchingIndexes,
  '20261130T2030_quotes_orders': quotesOrders,
  '20261130T2130_order_lifecycle': orderLifecycle,
  '20261201T0900_message_indexes': messageIndexes,
  '20261201T1000_matching_speed': matchingSpeed,
  '20261202T0900_money': money,
  '20261203T0900_suspensions': suspensions,
  '20261203T1000_metrics': metrics,
  '20261203T1100_resource_offered_hours': resourceOfferedHours,
  '20261203T1200_metrics_statement_triggers': metricsStatementTriggers,
  '20261204T0900_metrics_levels': metricsLevels,
  '20261205T0900_rate_limits': rateLimits,
  '20261205T1000_search_changes': searchChanges,
  '20261205T1100_metrics_dirty': metricsDirty,
}
