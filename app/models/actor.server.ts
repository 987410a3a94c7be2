import type { OrganizationKind } from '../../db/schema.ts'
import { ForbiddenError } from './errors.ts'
import type { AccountView } from './user.server.ts'

/** Refuses (403) an actor whose organisation is not of `kind`, with `message` saying why. */
export function requireKind(actor: AccountView, kind: OrganizationKind, message: string) {
  if (actor.organization.kind !== kind) throw new ForbiddenError(message)
}

export const requireOperator = (actor: AccountView, message = 'Operators only') =>
  requireKind(actor, 'platform', message)
export const requireWorkshop = (actor: AccountView, message = 'Workshops only') =>
  requireKind(actor, 'workshop', message)
export const requireDesignFirm = (actor: AccountView, message = 'Only design firms post jobs') =>
  requireKind(actor, 'design_firm', message)
