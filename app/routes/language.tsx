import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { localeSchema, redirectToSchema } from '../models/account.schema.ts'
import { updateProfile } from '../models/user.server.ts'
import { getAuth } from '../utils/auth.server.ts'
import { localeCookie } from '../utils/cookies.server.ts'

const LanguageSchema = z.object({ locale: localeSchema, redirectTo: redirectToSchema })

export async function loader() {
  return redirect('/')
}

/** Sets the language cookie (and the user's saved language, for emails), then goes back. */
export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = LanguageSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('Unknown language', { status: 400 })
  const auth = await getAuth(request, context)
  if (auth) await updateProfile(context.db, auth.account.user.id, { locale: parsed.data.locale })
  const cookie = localeCookie(parsed.data.locale, context.settings.secureCookies)
  return redirect(parsed.data.redirectTo ?? '/', { headers: { 'Set-Cookie': cookie } })
}
