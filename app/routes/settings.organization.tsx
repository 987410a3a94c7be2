import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { InviteSchema } from '../models/account.schema.ts'
import {
  inviteMember,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
} from '../models/organization.server.ts'
import { DomainError } from '../models/errors.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList, Field, SelectField } from '../components/forms.tsx'
import { formatDateTime, translate, type MessageKey } from '../locales/index.ts'
import { townName } from '../models/towns.ts'
import { useLocale, useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  const [members, invitations] = await Promise.all([
    listMembers(context.db, account.organization.id),
    account.role === 'owner' ? listPendingInvitations(context.db, account.organization.id) : [],
  ])
  return {
    organization: account.organization,
    isOwner: account.role === 'owner',
    me: account.user.id,
    members,
    invitations,
  }
}

const IdSchema = z.object({ id: z.uuid() })

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const locale = requestLocale(request, account.user.locale)
  const formData = await request.formData()
  const intent = formData.get('intent')
  switch (intent) {
    case 'invite': {
      const submission = parseWithZod(formData, { schema: InviteSchema })
      if (submission.status !== 'success')
        return data({ result: submission.reply(), notice: null, error: null }, { status: 400 })
      try {
        await context.db.transaction().execute((tx) =>
          inviteMember(tx, {
            actor: account,
            email: submission.value.email,
            role: submission.value.role,
            publicUrl: context.settings.publicUrl,
            locale,
          }),
        )
      } catch (error) {
        const { result, status } = replyWithError(submission, error, locale)
        return data({ result, notice: null, error: null }, { status })
      }
      return {
        result: submission.reply({ resetForm: true }),
        notice: translate(locale, 'org.invited', { email: submission.value.email }),
        error: null,
      }
    }
    case 'revoke':
    case 'remove': {
      const parsed = IdSchema.safeParse(Object.fromEntries(formData))
      if (!parsed.success) throw new Response('Bad request', { status: 400 })
      try {
        if (intent === 'revoke') {
          await revokeInvitation(context.db, { actor: account, invitationId: parsed.data.id })
        } else {
          await context.db
            .transaction()
            .execute((tx) => removeMember(tx, { actor: account, userId: parsed.data.id }))
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error
        return data(
          {
            result: undefined,
            notice: null,
            error: translate(locale, `error.${error.code}` as MessageKey),
          },
          { status: error.kind === 'forbidden' ? 403 : error.kind === 'not_found' ? 404 : 409 },
        )
      }
      return { result: undefined, notice: null, error: null }
    }
    default:
      throw new Response('Unknown intent', { status: 400 })
  }
}

export default function OrganizationSettings() {
  const t = useT()
  const locale = useLocale()
  const { organization, isOwner, me, members, invitations } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'invite',
    lastResult: actionData?.result,
    constraint: getZodConstraint(InviteSchema),
    defaultValue: { role: 'member' },
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
  })
  return (
    <>
      <section className="card">
        <h2>{organization.name}</h2>
        <p className="muted">
          {t(`kind.${organization.kind}`)}
          {organization.town ? ` · ${townName(organization.town, locale)}` : ''}
        </p>
        {actionData?.error ? (
          <p className="alert" role="alert">
            {actionData.error}
          </p>
        ) : null}
        <h3>{t('org.members')}</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.email')}</th>
              <th scope="col">{t('field.role')}</th>
              {isOwner ? <th scope="col" /> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>{t(`role.${m.role}`)}</td>
                {isOwner ? (
                  <td>
                    {m.id !== me ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="id" value={m.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="remove"
                          className="secondary danger"
                          aria-label={`${t('org.remove')} ${m.email}`}
                        >
                          {t('org.remove')}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {isOwner ? (
        <>
          <section className="card">
            <h2>{t('org.invite')}</h2>
            {actionData?.notice ? (
              <p className="notice" role="status">
                {actionData.notice}
              </p>
            ) : null}
            <Form method="post" {...getFormProps(form)}>
              <CsrfInput />
              <ErrorList id={form.errorId} errors={form.errors} />
              <Field
                label={t('field.email')}
                inputProps={getInputProps(fields.email, { type: 'email' })}
                errors={fields.email.errors}
              />
              <SelectField
                label={t('field.role')}
                selectProps={getSelectProps(fields.role)}
                options={[
                  { value: 'member', label: t('role.member') },
                  { value: 'owner', label: t('role.owner') },
                ]}
                errors={fields.role.errors}
              />
              <button type="submit" name="intent" value="invite" className="primary">
                {t('org.inviteSubmit')}
              </button>
            </Form>
          </section>
          <section className="card">
            <h2>{t('org.pending')}</h2>
            {invitations.length === 0 ? (
              <p className="empty">{t('org.noPending')}</p>
            ) : (
              <ul>
                {invitations.map((inv) => (
                  <li key={inv.id}>
                    {inv.email} · {t(`role.${inv.role}`)} ·{' '}
                    {t('org.expires', { date: formatDateTime(locale, inv.expires_at) })}{' '}
                    <Form method="post" style={{ display: 'inline' }}>
                      <CsrfInput />
                      <input type="hidden" name="id" value={inv.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="revoke"
                        className="secondary"
                        aria-label={`${t('org.revoke')} ${inv.email}`}
                      >
                        {t('org.revoke')}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : (
        <>
          {/* A member who posts the invite form anyway sees why it was refused. */}
          <ErrorList errors={form.errors} />
          <p className="muted">{t('org.onlyOwners')}</p>
        </>
      )}
    </>
  )
}
