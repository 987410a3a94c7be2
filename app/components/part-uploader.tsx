import { useRef, useState, type DragEvent } from 'react'
import { useRevalidator } from '@remix-run/react'
import { useRootData, useT } from '../utils/i18n.ts'
import { CSRF_FIELD_NAME } from '../utils/csrf.ts'

/** What the part upload accepts; the server decides the format from the content anyway. */
export const CAD_ACCEPT = '.stl,.3mf,.obj,.step,.stp,.dxf'

interface Progress {
  name: string
  loaded: number
  total: number
  error?: string
}

/**
 * Adds CAD parts to a draft job. Without JavaScript it is a plain multipart form (the CSRF
 * token in the action URL); with it, files dropped or picked upload one after another with a
 * progress bar each, and the page refreshes its data when each is stored.
 */
export function PartUploader(props: {
  action: string
  maxUploadMb: number
  error?: string | null
}) {
  const t = useT()
  const { csrfToken } = useRootData()
  const revalidator = useRevalidator()
  const [uploads, setUploads] = useState<Progress[]>([])
  const [dragging, setDragging] = useState(false)
  const quantityRef = useRef<HTMLInputElement>(null)
  const action = `${props.action}?${CSRF_FIELD_NAME}=${encodeURIComponent(csrfToken)}`

  function upload(file: File, index: number): Promise<void> {
    return new Promise((resolve) => {
      const form = new FormData()
      form.append('intent', 'upload')
      form.append('quantity', quantityRef.current?.value || '1')
      form.append('file', file)
      const xhr = new XMLHttpRequest()
      const update = (patch: Partial<Progress>) =>
        setUploads((all) => all.map((u, i) => (i === index ? { ...u, ...patch } : u)))
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) update({ loaded: e.loaded, total: e.total })
      }
      xhr.onload = () => {
        let message: string | undefined
        try {
          const body = JSON.parse(xhr.responseText) as { ok: boolean; message?: string }
          if (!body.ok) message = body.message ?? t('jobs.upload.failed')
        } catch {
          message = xhr.status === 413 ? t('error.file_too_large') : t('jobs.upload.failed')
        }
        update(message ? { error: message } : { loaded: file.size, total: file.size })
        resolve()
      }
      xhr.onerror = () => {
        update({ error: t('jobs.upload.failed') })
        resolve()
      }
      xhr.open('POST', action)
      xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest')
      xhr.setRequestHeader('Accept', 'application/json')
      xhr.send(form)
    })
  }

  async function send(files: FileList | File[]) {
    const list = [...files]
    if (!list.length) return
    const start = uploads.length
    setUploads((all) => [...all, ...list.map((f) => ({ name: f.name, loaded: 0, total: f.size }))])
    for (let i = 0; i < list.length; i++) {
      await upload(list[i]!, start + i)
      revalidator.revalidate()
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault()
    setDragging(false)
    void send(e.dataTransfer.files)
  }

  return (
    <form
      method="post"
      action={action}
      encType="multipart/form-data"
      className={`dropzone${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      onSubmit={(e) => {
        const input = e.currentTarget.elements.namedItem('file') as HTMLInputElement | null
        if (input?.files?.length) {
          e.preventDefault()
          void send(input.files).then(() => {
            input.value = ''
          })
        }
      }}
    >
      <input type="hidden" name="intent" value="upload" />
      <p>
        <strong>{t('jobs.upload.drop')}</strong>
        <br />
        <span className="muted">{t('jobs.upload.formats', { mb: props.maxUploadMb })}</span>
      </p>
      <div style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap', alignItems: 'end' }}>
        <div className="field">
          <label htmlFor="part-file">{t('jobs.upload.file')}</label>
          <input id="part-file" type="file" name="file" accept={CAD_ACCEPT} required />
        </div>
        <div className="field" style={{ maxWidth: '9rem' }}>
          <label htmlFor="part-quantity">{t('jobs.part.quantity')}</label>
          <input
            ref={quantityRef}
            id="part-quantity"
            type="number"
            name="quantity"
            min={1}
            defaultValue={1}
            required
          />
        </div>
        <button type="submit" className="primary">
          {t('jobs.upload.submit')}
        </button>
      </div>
      {props.error ? (
        <p className="field-errors" role="alert">
          {props.error}
        </p>
      ) : null}
      {uploads.length ? (
        <ul className="upload-list" aria-live="polite">
          {uploads.map((u, i) => (
            <li key={`${u.name}-${i}`}>
              <span>{u.name}</span>
              <progress
                max={u.total || 1}
                value={u.loaded}
                aria-label={t('jobs.upload.progress', { name: u.name })}
              />
              {u.error ? (
                <span className="field-errors" role="alert">
                  {u.error}
                </span>
              ) : u.total && u.loaded >= u.total ? (
                <span className="muted">{t('jobs.upload.done')}</span>
              ) : (
                <span className="muted">{Math.round((100 * u.loaded) / (u.total || 1))}%</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  )
}
