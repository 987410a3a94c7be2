import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AcceptInvitationSchema } from '../models/account.schema.ts'
import { acceptInvitation, findInvitation } from '../models/organization.server.ts'
import { dashboardPath, getAuth, startSession } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList, Field } from '../components/forms.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const invitation = await findInvitation(context.db, params.token ?? '')
  const auth = await getAuth(request, context)
  return {
    invitation: invitation
      ? {
          email: invitation.email,
          role: invitation.role,
          organizationName: invitation.organization_name,
          organizationKind: invitation.organization_kind,
          inviterName: invitation.inviter_name ?? '',
        }
      : null,
    signedInAs: auth?.account.user.email ?? null,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: AcceptInvitationSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  }
  const locale = requestLocale(request)
  let account
  try {
    account = await context.db
      .transaction()
      .execute((tx) =>
        acceptInvitation(tx, { token: params.token ?? '', ...submission.value, locale }),
      )
  } catch (error) {
    const { result, status } = replyWithError(submission, error, locale, {
      hideFields: ['password'],
    })
    return data({ result }, { status })
  }
  const { headers } = await startSession(request, context, account.user.id)
  return redirect(dashboardPath(account.organization.kind), { headers })
}

export default function InvitationPage() {
  const t = useT()
  const { invitation, signedInAs } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'accept-invitation',
    lastResult: actionData?.result,
    constraint: getZodConstraint(AcceptInvitationSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AcceptInvitationSchema }),
  })
  if (!invitation) {
    return (
      <div className="narrow">
        <section className="card">
          <p className="alert" role="alert">
            {t('invite.invalid')}
          </p>
        </section>
      </div>
    )
  }
  return (
    <div className="narrow">
      <section className="card">
        <h1>{t('invite.title', { organization: invitation.organizationName })}</h1>
        <p>
          {t('invite.lead', {
            inviter: invitation.inviterName,
            organization: invitation.organizationName,
            role: t(`role.${invitation.role}`),
            kind: t(`kind.${invitation.organizationKind}`),
          })}
        </p>
        {signedInAs ? (
          <p className="alert">{t('invite.signedInAs', { email: signedInAs })}</p>
        ) : (
          <Form method="post" {...getFormProps(form)}>
            <CsrfInput />
            <ErrorList id={form.errorId} errors={form.errors} />
            <Field
              label={t('field.email')}
              inputProps={{
                type: 'email',
                value: invitation.email,
                readOnly: true,
                name: 'invitedEmail',
              }}
            />
            <Field
              label={t('field.name')}
              inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'name' }}
              errors={fields.name.errors}
            />
            <Field
              label={t('field.password')}
              hint={t('signup.passwordHint')}
              inputProps={{
                ...getInputProps(fields.password, { type: 'password' }),
                autoComplete: 'new-password',
              }}
              errors={fields.password.errors}
            />
            <button type="submit" className="primary" disabled={navigation.state === 'submitting'}>
              {t('invite.createAccount')}
            </button>
          </Form>
        )}
      </section>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
