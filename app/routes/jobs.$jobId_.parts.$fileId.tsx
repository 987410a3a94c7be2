import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { getJobForViewer } from '../models/job.server.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { partView } from '../utils/part-view.server.ts'
import { CadViewer } from '../components/cad-viewer.tsx'
import { PartAnalysis } from '../components/part-analysis.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

const notFound = () => new Response('Not found', { status: 404 })

/** One part of a job: the 3D (or, for DXF, 2D) preview beside its analysis. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  const jobId = z.uuid().safeParse(params.jobId)
  const fileId = z.uuid().safeParse(params.fileId)
  if (!jobId.success || !fileId.success) throw notFound()
  const viewed = await getJobForViewer(context.db, jobId.data, account)
  const part = viewed?.parts.find((p) => p.id === fileId.data)
  if (!viewed || !part) throw notFound()
  if (!viewed.filesAllowed) throw new Response('Forbidden', { status: 403 })
  return {
    job: { id: viewed.job.id, title: viewed.job.title, status: viewed.job.status },
    part: partView(part),
    quantity: part.quantity,
    editable: viewed.role === 'owner' && viewed.job.status === 'draft',
  }
}

export default function PartPage() {
  const t = useT()
  const { job, part, quantity, editable } = useLoaderData<typeof loader>()
  const a = part.analysis
  return (
    <>
      <p>
        <Link to={`/jobs/${job.id}#parts`}>← {job.title}</Link>
      </p>
      <h1>{part.name}</h1>
      <section className="card" aria-label={t('cad.preview')}>
        {a?.kind === 'mesh' ? (
          <CadViewer
            url={`/cad/${part.id}/preview.stl`}
            bboxMm={a.bboxMm}
            labels={{
              loading: t('cad.viewer.loading'),
              failed: t('cad.viewer.failed'),
              noWebgl: t('cad.viewer.noWebgl'),
              hint: t('cad.viewer.hint'),
              reset: t('cad.viewer.reset'),
            }}
          />
        ) : null}
        {a?.kind === 'sheet' && part.hasSvg ? (
          <img
            src={`/cad/${part.id}/preview.svg`}
            alt={t('cad.svgAlt', { name: part.name })}
            className="dxf-preview"
          />
        ) : null}
        {!a ? <p className="empty">{t('cad.noPreview')}</p> : null}
      </section>
      <section className="card">
        <PartAnalysis jobId={job.id} part={part} quantity={quantity} editable={editable} />
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
