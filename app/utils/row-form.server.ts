import { z } from 'zod'

/**
 * A console row's form post: which of `intents` it asks for and the uuid in `idField` of the
 * row it acts on; anything else is a 400 (a forged or broken form, not a user's mistake).
 */
export function rowIntent<I extends string>(
  form: FormData,
  intents: readonly I[],
  idField: string,
): { intent: I; id: string } {
  const intent = form.get('intent')
  if (!intents.includes(intent as I)) throw new Response('Unknown intent', { status: 400 })
  const id = z.uuid().safeParse(form.get(idField))
  if (!id.success) throw new Response('Bad request', { status: 400 })
  return { intent: intent as I, id: id.data }
}
