import {
  getCollectionProps,
  getFormProps,
  getInputProps,
  useForm,
  type FieldMetadata,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import type { CSSProperties, InputHTMLAttributes } from 'react'
import type { z } from 'zod'
import {
  MaterialFormSchema,
  materialInputFromForm,
  processFamilies,
} from '../models/material.schema.ts'
import { createMaterial, listMaterials, updateMaterial } from '../models/material.server.ts'
import { NotFoundError } from '../models/errors.ts'
import { fenToYuanString } from '../models/money.ts'
import { requireKind } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList, Field } from '../components/forms.tsx'
import { CheckboxGroup } from '../components/resource-form.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

type MaterialRowData = Awaited<ReturnType<typeof listMaterials>>[number]
type MaterialValues = z.output<typeof MaterialFormSchema>

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  return { materials: await listMaterials(context.db, { includeInactive: true }) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireKind(request, context, ['platform'])
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent !== 'update' && intent !== 'create') {
    throw new Response('Unknown intent', { status: 400 })
  }
  const submission = parseWithZod(formData, { schema: MaterialFormSchema })
  const code = String(formData.get('code') ?? '')
  if (submission.status !== 'success') {
    return data({ intent, code, result: submission.reply() }, { status: 400 })
  }
  const input = materialInputFromForm(submission.value)
  try {
    await context.db
      .transaction()
      .execute((tx) =>
        intent === 'update'
          ? updateMaterial(tx, operator, input)
          : createMaterial(tx, operator, input),
      )
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response('Not found', { status: 404 })
    const locale = requestLocale(request, operator.user.locale)
    const { result, status } = replyWithError(submission, error, locale)
    return data({ intent, code, result }, { status })
  }
  return redirect(
    intent === 'create'
      ? '/console/materials?created=1'
      : `/console/materials?saved=1#row-${input.code}`,
  )
}

// The table's inputs keep a <label> each; it is only hidden from sight (the column says it).
const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
}
const cellInput: CSSProperties = {
  width: '100%',
  minWidth: '5rem',
  padding: '0.35rem 0.5rem',
  border: '1px solid #c4ccd6',
  borderRadius: 6,
  font: 'inherit',
}

export default function MaterialsPage() {
  const t = useT()
  const { materials } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const message = searchParams.get('created')
    ? t('materials.created')
    : searchParams.get('saved')
      ? t('materials.saved')
      : null
  return (
    <>
      <p>
        <Link to="/console">← {t('console.title')}</Link>
      </p>
      <h1>{t('materials.title')}</h1>
      <p className="muted">{t('materials.lead')}</p>
      {message ? (
        <p className="notice" role="status">
          {message}
        </p>
      ) : null}
      <section className="card" style={{ overflowX: 'auto' }}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('materials.code')}</th>
              <th scope="col">{t('materials.nameZh')}</th>
              <th scope="col">{t('materials.nameEn')}</th>
              <th scope="col">{t('materials.families')}</th>
              <th scope="col">{t('materials.density')}</th>
              <th scope="col">{t('materials.price')}</th>
              <th scope="col" style={{ whiteSpace: 'nowrap' }}>
                {t('materials.active')}
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {materials.map((m) => (
              <MaterialRow key={m.code} material={m} />
            ))}
          </tbody>
        </table>
      </section>
      <AddMaterial />
    </>
  )
}

function valuesOf(m: MaterialRowData) {
  return {
    code: m.code,
    nameZh: m.name_zh,
    nameEn: m.name_en,
    families: m.families as MaterialValues['families'],
    density: m.density_g_cm3,
    price: fenToYuanString(m.price_fen_per_kg) as unknown as number,
    active: m.active,
  }
}

function MaterialRow({ material }: { material: MaterialRowData }) {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const mine = actionData?.intent === 'update' && actionData.code === material.code
  const [form, fields] = useForm<MaterialValues>({
    id: `material-${material.code}`,
    lastResult: mine ? actionData.result : undefined,
    defaultValue: valuesOf(material),
    constraint: getZodConstraint(MaterialFormSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MaterialFormSchema }),
  })
  const cell = (
    label: string,
    field: FieldMetadata<unknown, MaterialValues, string[]>,
    extra: InputHTMLAttributes<HTMLInputElement> = {},
  ) => (
    <td>
      <label htmlFor={field.id} style={visuallyHidden}>
        {`${label} (${material.code})`}
      </label>
      <input
        {...getInputProps(field, { type: extra.type === 'number' ? 'number' : 'text' })}
        {...extra}
        style={cellInput}
      />
      <ErrorList id={field.errorId} errors={field.errors} />
    </td>
  )
  const families = getCollectionProps(fields.families, {
    type: 'checkbox',
    options: [...processFamilies],
  })
  return (
    <tr id={`row-${material.code}`}>
      <th scope="row" style={{ color: 'inherit', fontSize: 'inherit' }}>
        <code>{material.code}</code>
      </th>
      {cell(t('materials.nameZh'), fields.nameZh)}
      {cell(t('materials.nameEn'), fields.nameEn)}
      <td>
        <div
          style={{ display: 'flex', flexWrap: 'wrap', gap: '0.15rem 0.6rem', minWidth: '12rem' }}
        >
          {families.map(({ key, required: _required, ...input }) => (
            <label key={key ?? input.value} style={{ whiteSpace: 'nowrap', fontSize: '0.85rem' }}>
              <input {...input} /> {t(`family.${input.value as (typeof processFamilies)[number]}`)}
            </label>
          ))}
        </div>
        <ErrorList id={fields.families.errorId} errors={fields.families.errors} />
      </td>
      {cell(t('materials.density'), fields.density, { type: 'number', step: 'any' })}
      {cell(t('materials.price'), fields.price, { inputMode: 'decimal' })}
      <td>
        <label htmlFor={fields.active.id} style={visuallyHidden}>
          {`${t('materials.active')} (${material.code})`}
        </label>
        <input {...getInputProps(fields.active, { type: 'checkbox' })} />
      </td>
      <td>
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="code" value={material.code} />
          <ErrorList id={form.errorId} errors={form.errors} />
          <button
            type="submit"
            name="intent"
            value="update"
            className="secondary"
            style={{ whiteSpace: 'nowrap' }}
            aria-label={`${t('materials.save')} ${material.code}`}
          >
            {t('materials.save')}
          </button>
        </Form>
      </td>
    </tr>
  )
}

function AddMaterial() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm<MaterialValues>({
    id: 'add-material',
    lastResult: actionData?.intent === 'create' ? actionData.result : undefined,
    defaultValue: { active: true },
    constraint: getZodConstraint(MaterialFormSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MaterialFormSchema }),
  })
  return (
    <section className="card" aria-labelledby="add-material-heading">
      <h2 id="add-material-heading">{t('materials.add')}</h2>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="grid" style={{ gap: '0 1.25rem' }}>
          <Field
            label={t('materials.code')}
            inputProps={{
              ...getInputProps(fields.code, { type: 'text' }),
              autoCapitalize: 'none',
              spellCheck: false,
            }}
            errors={fields.code.errors}
          />
          <Field
            label={t('materials.nameZh')}
            inputProps={getInputProps(fields.nameZh, { type: 'text' })}
            errors={fields.nameZh.errors}
          />
          <Field
            label={t('materials.nameEn')}
            inputProps={getInputProps(fields.nameEn, { type: 'text' })}
            errors={fields.nameEn.errors}
          />
          <Field
            label={t('materials.density')}
            inputProps={{ ...getInputProps(fields.density, { type: 'number' }), step: 'any' }}
            errors={fields.density.errors}
          />
          <Field
            label={t('materials.price')}
            inputProps={{ ...getInputProps(fields.price, { type: 'text' }), inputMode: 'decimal' }}
            errors={fields.price.errors}
          />
        </div>
        <CheckboxGroup
          legend={t('materials.families')}
          field={fields.families}
          compact
          options={processFamilies.map((f) => ({ value: f, label: t(`family.${f}`) }))}
        />
        <div
          className="field"
          style={{ flexDirection: 'row', alignItems: 'center', gap: '0.5rem' }}
        >
          <input {...getInputProps(fields.active, { type: 'checkbox' })} />
          <label htmlFor={fields.active.id}>{t('materials.active')}</label>
        </div>
        <button type="submit" className="primary">
          {t('materials.add')}
        </button>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
