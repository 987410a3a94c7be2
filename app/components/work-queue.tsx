import type { ReactNode } from 'react'
import { TableHead } from './table.tsx'

/** One work queue: its heading and lead, then its rows (oldest first) or `empty`. */
export function WorkQueue(props: {
  id: string
  title: string
  lead: string
  empty: string
  columns: string[]
  rows: ReactNode[]
}) {
  const headingId = `${props.id}-heading`
  return (
    <section className="card" id={props.id} aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      <p className="muted">{props.lead}</p>
      {props.rows.length === 0 ? (
        <p className="empty">{props.empty}</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby={headingId}>
            <TableHead columns={props.columns} />
            <tbody>{props.rows}</tbody>
          </table>
        </div>
      )}
    </section>
  )
}
