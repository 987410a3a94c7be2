import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { endSession } from '../utils/auth.server.ts'

export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const headers = await endSession(request, context)
  return redirect('/login?notice=logged-out', { headers })
}
