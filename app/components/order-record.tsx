import type { Measurement } from '../../db/schema.ts'
import { formatFen } from '../models/money.ts'
import { formatDateTime } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { TableHead } from './table.tsx'

// What happened on an order besides its status (issue 7): sample rounds with their
// shipments and verdicts, the batch shipments, inspections with their sampling plan and
// measurements, and disputes with evidence and the operator's decision.

type When = Date | string

export interface OrderRecordData {
  shipments: {
    id: string
    kind: 'sample' | 'batch'
    round: number
    quantity: number
    carrier: string
    tracking_number: string
    note: string
    attachment_ids: string[]
    created_at: When
  }[]
  sampleReviews: {
    id: string
    round: number
    decision: 'approved' | 'rejected'
    feedback: string
    attachment_ids: string[]
    created_at: When
  }[]
  inspections: {
    id: string
    lot_size: number
    aql: number
    level: string
    code_letter: string
    sample_size: number
    accept_number: number
    reject_number: number
    defects_found: number
    measurements: Measurement[]
    result: 'accept' | 'reject'
    notes: string
    attachment_ids: string[]
    created_at: When
  }[]
  disputes: {
    id: string
    reason: string
    status: 'open' | 'resolved'
    resolution: string | null
    refund_fen: number
    note: string
    created_at: When
    resolved_at: When | null
  }[]
  evidence: {
    id: string
    dispute_id: string
    organization_name: string
    note: string
    attachment_ids: string[]
    created_at: When
  }[]
}

function Files({
  ids,
  attachments,
}: {
  ids: string[]
  attachments: { id: string; name: string }[]
}) {
  if (!ids.length) return null
  return (
    <span className="files">
      {ids.map((id) => (
        <a key={id} href={`/files/${id}`}>
          📎 {attachments.find((a) => a.id === id)?.name ?? id.slice(0, 8)}
        </a>
      ))}
    </span>
  )
}

export function OrderRecord({
  record,
  attachments,
}: {
  record: OrderRecordData
  attachments: { id: string; name: string }[]
}) {
  const t = useT()
  const locale = useLocale()
  const samples = record.shipments.filter((s) => s.kind === 'sample')
  const batches = record.shipments.filter((s) => s.kind === 'batch')
  const rounds = [...new Set(samples.map((s) => s.round))].sort((a, b) => a - b)
  return (
    <>
      {rounds.length ? (
        <section className="card" id="samples" aria-labelledby="samples-title">
          <h2 id="samples-title">{t('orders.samples')}</h2>
          <ol className="rounds">
            {rounds.map((round) => {
              const review = record.sampleReviews.find((r) => r.round === round)
              return (
                <li key={round}>
                  <h3>{t('orders.round', { round })}</h3>
                  {samples
                    .filter((s) => s.round === round)
                    .map((s) => (
                      <p key={s.id}>
                        {t('orders.shipment.line', {
                          carrier: s.carrier,
                          tracking: s.tracking_number,
                          n: s.quantity,
                          at: formatDateTime(locale, s.created_at),
                        })}
                        {s.note ? ` · ${s.note}` : ''}{' '}
                        <Files ids={s.attachment_ids} attachments={attachments} />
                      </p>
                    ))}
                  {review ? (
                    <p>
                      <span
                        className={`badge ${review.decision === 'approved' ? 'ok' : 'status-quote-declined'}`}
                      >
                        {t(`orders.sample.${review.decision}`)}
                      </span>{' '}
                      {review.feedback}{' '}
                      <Files ids={review.attachment_ids} attachments={attachments} />
                    </p>
                  ) : null}
                </li>
              )
            })}
          </ol>
        </section>
      ) : null}

      {batches.length ? (
        <section className="card" id="shipments" aria-labelledby="shipments-title">
          <h2 id="shipments-title">{t('orders.shipments')}</h2>
          <table>
            <TableHead
              columns={[
                t('orders.shipment.at'),
                t('orders.form.carrier'),
                t('orders.form.trackingNumber'),
                t('orders.form.quantity'),
                t('orders.form.note'),
              ]}
            />
            <tbody>
              {batches.map((s) => (
                <tr key={s.id}>
                  <td>
                    {formatDateTime(locale, s.created_at)}
                    {s.round > 1 ? ` · ${t('orders.reworkRound', { round: s.round })}` : ''}
                  </td>
                  <td>{s.carrier}</td>
                  <td>
                    <code>{s.tracking_number}</code>
                  </td>
                  <td className="num">{s.quantity}</td>
                  <td>
                    {s.note} <Files ids={s.attachment_ids} attachments={attachments} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {record.inspections.map((i) => (
        <section key={i.id} className="card" aria-labelledby={`inspection-${i.id}`}>
          <h2 id={`inspection-${i.id}`}>
            {t('orders.inspection.title')}{' '}
            <span className={`badge ${i.result === 'accept' ? 'ok' : 'status-quote-declined'}`}>
              {t(`orders.inspection.result.${i.result}`)}
            </span>
          </h2>
          <p>
            {t('orders.inspection.plan', {
              lot: i.lot_size,
              level: i.level,
              aql: i.aql,
              letter: i.code_letter,
              n: i.sample_size,
              ac: i.accept_number,
              re: i.reject_number,
            })}
          </p>
          <p>
            <strong>{t('orders.inspection.defects', { n: i.defects_found })}</strong> ·{' '}
            {formatDateTime(locale, i.created_at)}
          </p>
          {i.measurements.length ? (
            <div className="table-scroll">
              <table className="measurements">
                <TableHead
                  columns={[
                    t('orders.inspection.feature'),
                    t('orders.inspection.nominal'),
                    t('orders.inspection.tolerance'),
                    t('orders.inspection.measured'),
                    t('orders.inspection.pass'),
                  ]}
                />
                <tbody>
                  {i.measurements.map((m, k) => (
                    <tr key={k}>
                      <td>{m.feature}</td>
                      <td className="num">{m.nominal}</td>
                      <td className="num">
                        −{m.tol_minus} / +{m.tol_plus}
                      </td>
                      <td>
                        {m.measured.map((v, j) => {
                          const out = v < m.nominal - m.tol_minus || v > m.nominal + m.tol_plus
                          return (
                            <span key={j} className={out ? 'out-of-tolerance' : undefined}>
                              {j ? ', ' : ''}
                              {v}
                            </span>
                          )
                        })}
                      </td>
                      <td>{m.pass ? '✓' : `✗ ${t('orders.inspection.fail')}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {i.notes ? <p style={{ whiteSpace: 'pre-wrap' }}>{i.notes}</p> : null}
          <Files ids={i.attachment_ids} attachments={attachments} />
        </section>
      ))}

      {record.disputes.map((d) => (
        <section key={d.id} className="card" id="dispute" aria-labelledby={`dispute-${d.id}`}>
          <h2 id={`dispute-${d.id}`}>
            {t('orders.dispute.title')}{' '}
            <span className="badge">{t(`orders.dispute.status.${d.status}`)}</span>
          </h2>
          <p>
            {t(`orders.dispute.reason.${d.reason as 'inspection_rejected'}`)} ·{' '}
            {formatDateTime(locale, d.created_at)}
          </p>
          <ul>
            {record.evidence
              .filter((e) => e.dispute_id === d.id)
              .map((e) => (
                <li key={e.id}>
                  <strong>{e.organization_name}</strong> · {formatDateTime(locale, e.created_at)}:{' '}
                  {e.note} <Files ids={e.attachment_ids} attachments={attachments} />
                </li>
              ))}
          </ul>
          {d.status === 'resolved' && d.resolution ? (
            <p>
              <strong>
                {t(`orders.resolution.${d.resolution as 'rework'}`)}
                {d.refund_fen ? ` · ${formatFen(d.refund_fen, locale)}` : ''}
              </strong>{' '}
              {d.note}
            </p>
          ) : null}
        </section>
      ))}
    </>
  )
}
