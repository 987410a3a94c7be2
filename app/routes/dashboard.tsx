import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { dashboardPath, requireAccount } from '../utils/auth.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  return redirect(dashboardPath(account.organization.kind))
}
