import type { Db } from '../../db/client.ts'
import { requireWorkshop } from './actor.server.ts'
import { StripeUnavailableError } from './card-payment.server.ts'
import { ForbiddenError, StateConflictError } from './errors.ts'
import type { StripeGateway } from './stripe.server.ts'
import type { AccountView } from './user.server.ts'

// Stripe Connect for workshop payouts (issue 8): each workshop gets one Express account,
// created the first time an owner asks for the onboarding link (idempotency key per
// organisation, so two clicks make one account), and its flags follow `account.updated`
// (stripe-events.server.ts). payouts__send transfers to it once payouts are enabled.

export const idempotencyKeyOfAccount = (organizationId: string) => `account:${organizationId}`

export interface ConnectedAccountView {
  id: string
  details_submitted: boolean
  payouts_enabled: boolean
}

/** The workshop's connected account as we last heard of it, or null. */
export async function connectedAccountOf(
  db: Db,
  organizationId: string,
): Promise<ConnectedAccountView | null> {
  const row = await db
    .selectFrom('connected_accounts')
    .select(['account_id', 'details_submitted', 'payouts_enabled'])
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
  return row
    ? {
        id: row.account_id,
        details_submitted: row.details_submitted,
        payouts_enabled: row.payouts_enabled,
      }
    : null
}

/**
 * A Stripe onboarding link for the actor's workshop (owners only), creating its Express account
 * the first time. Without Stripe: 409 `stripe_not_configured`; Stripe failing:
 * StripeUnavailableError (the next click resumes with the same account).
 */
export async function connectOnboardingLink(
  db: Db,
  stripe: StripeGateway | null,
  actor: AccountView,
  options: { publicUrl: string },
): Promise<{ url: string; account: ConnectedAccountView }> {
  requireWorkshop(actor, 'Workshops receive payouts')
  if (actor.role !== 'owner') throw new ForbiddenError('Only owners set up the payout account')
  if (!stripe) {
    throw new StateConflictError(
      'stripe_not_configured',
      'Stripe is not configured; payouts are made by bank transfer',
    )
  }
  const organizationId = actor.organization.id
  const base = options.publicUrl.replace(/\/+$/, '')
  let account = await connectedAccountOf(db, organizationId)
  if (!account) {
    const created = await callStripe(() =>
      stripe.client.accounts.create(
        {
          type: 'express',
          email: actor.user.email,
          business_profile: { name: actor.organization.name },
          capabilities: { transfers: { requested: true } },
          metadata: { organization_id: organizationId },
        },
        { idempotencyKey: idempotencyKeyOfAccount(organizationId) },
      ),
    )
    await db
      .insertInto('connected_accounts')
      .values({
        organization_id: organizationId,
        account_id: created.id,
        details_submitted: created.details_submitted ?? false,
        payouts_enabled: created.payouts_enabled ?? false,
      })
      .onConflict((oc) => oc.column('organization_id').doNothing())
      .execute()
    // Two clicks at once: both got the same account; whichever row is there is the one.
    account = (await connectedAccountOf(db, organizationId))!
  }
  const accountId = account.id
  const link = await callStripe(() =>
    stripe.client.accountLinks.create({
      account: accountId,
      type: 'account_onboarding',
      refresh_url: `${base}/workshop/payouts?connect=refresh`,
      return_url: `${base}/workshop/payouts`,
    }),
  )
  return { url: link.url, account }
}

async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw new StripeUnavailableError(
      `Stripe could not set up payouts: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  }
}
