import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { TokenNameSchema } from '../models/account.schema.ts'
import {
  createAccessToken,
  listAccessTokens,
  revokeAccessToken,
} from '../models/access-token.server.ts'
import { NotFoundError } from '../models/errors.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { CsrfInput, Field } from '../components/forms.tsx'
import { formatDateTime } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  return { tokens: await listAccessTokens(context.db, account.user.id) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const formData = await request.formData()
  switch (formData.get('intent')) {
    case 'create': {
      const submission = parseWithZod(formData, { schema: TokenNameSchema })
      if (submission.status !== 'success')
        return data({ result: submission.reply(), created: null }, { status: 400 })
      const created = await createAccessToken(context.db, {
        userId: account.user.id,
        name: submission.value.name,
      })
      return {
        result: submission.reply({ resetForm: true }),
        created: { name: created.name, token: created.token },
      }
    }
    case 'revoke': {
      const parsed = z.object({ id: z.uuid() }).safeParse(Object.fromEntries(formData))
      if (!parsed.success) throw new Response('Bad request', { status: 400 })
      try {
        await revokeAccessToken(context.db, { userId: account.user.id, tokenId: parsed.data.id })
      } catch (error) {
        if (error instanceof NotFoundError) throw new Response('Not found', { status: 404 })
        throw error
      }
      return { result: undefined, created: null }
    }
    default:
      throw new Response('Unknown intent', { status: 400 })
  }
}

export default function TokenSettings() {
  const t = useT()
  const locale = useLocale()
  const { tokens } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'create-token',
    lastResult: actionData?.result,
    constraint: getZodConstraint(TokenNameSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TokenNameSchema }),
  })
  return (
    <section className="card">
      <h2>{t('settings.tokens')}</h2>
      <p className="muted">{t('tokens.lead')}</p>
      {actionData?.created ? (
        <div className="notice" role="status">
          {t('tokens.created')} <code className="token">{actionData.created.token}</code>
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <Field
          label={t('field.tokenName')}
          inputProps={getInputProps(fields.name, { type: 'text' })}
          errors={fields.name.errors}
        />
        <button type="submit" name="intent" value="create" className="primary">
          {t('tokens.create')}
        </button>
      </Form>
      {tokens.length === 0 ? (
        <p className="empty">{t('tokens.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('field.tokenName')}</th>
              <th scope="col">{t('tokens.createdAt')}</th>
              <th scope="col">{t('tokens.lastUsed')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>
                  {token.name} <code>{token.token_prefix}…</code>
                </td>
                <td>{formatDateTime(locale, token.created_at)}</td>
                <td>
                  {token.last_used_at
                    ? formatDateTime(locale, token.last_used_at)
                    : t('tokens.never')}
                </td>
                <td>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="id" value={token.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="revoke"
                      className="secondary danger"
                      aria-label={`${t('tokens.revoke')} ${token.name}`}
                    >
                      {t('tokens.revoke')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
