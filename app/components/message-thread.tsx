import { Form } from '@remix-run/react'
import { MAX_MESSAGE_LENGTH } from '../models/message.schema.ts'
import { formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useT, type T } from '../utils/i18n.ts'
import { CsrfInput } from './forms.tsx'

// A message thread (issue 7): the messages oldest first and a plain form to write one. The
// form posts to a resource route that redirects back (with `?messageError=<code>` when it
// refused); the page passes that code in as `error`. Without JavaScript the browser's own
// checks (required, maxlength) catch an empty or over-long message before it is sent; with it,
// a refused message stays in the field (the form is only replaced once a new message shows).

export interface MessageView {
  id: number
  body: string
  createdAt: string
  sender: string
  organization: string
  side: 'own' | 'other' | 'platform'
  attachments: { id: string; name: string }[]
}

const knownErrors = [
  'message_empty',
  'message_too_long',
  'invalid_attachment',
  'attachments_order_only',
  'thread_closed',
]

/** The text for a `messageError` code from the redirect. */
export function messageErrorText(t: T, code: string | null): string | null {
  if (!code) return null
  return knownErrors.includes(code) ? t(`error.${code}` as MessageKey) : t('messages.failed')
}

export function MessageList({ messages }: { messages: MessageView[] }) {
  const t = useT()
  const locale = useLocale()
  if (!messages.length) return <p className="empty">{t('messages.empty')}</p>
  return (
    <ol className="message-list">
      {messages.map((m) => (
        <li key={m.id} id={`message-${m.id}`} className={`message message-${m.side}`}>
          <p className="message-meta">
            <strong>{m.sender}</strong>
            {' · '}
            {m.side === 'platform'
              ? t('messages.platform')
              : m.side === 'own'
                ? `${m.organization} (${t('messages.you')})`
                : m.organization}
            {' · '}
            <time dateTime={m.createdAt}>{formatDateTime(locale, m.createdAt)}</time>
          </p>
          <p className="message-body">{m.body}</p>
          {m.attachments.length ? (
            <ul className="message-attachments" aria-label={t('messages.attachments')}>
              {m.attachments.map((a) => (
                <li key={a.id}>
                  <a href={`/files/${a.id}`}>{a.name}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  )
}

/**
 * The form to write a message. `attachable`: the order's files to tick, or null on a thread
 * that takes text only (a job's questions), which the form says.
 */
export function MessageForm(props: {
  id: string
  action: string
  attachable: { id: string; name: string }[] | null
  error: string | null
  /** Hidden fields the action needs besides the message (e.g. the job thread's workshop). */
  hidden?: Record<string, string>
  /** Changes when a message was added, so the emptied form replaces the sent one. */
  version: number
}) {
  const t = useT()
  const bodyId = `${props.id}-body`
  const errorId = props.error ? `${bodyId}-error` : undefined
  return (
    <Form method="post" action={props.action} className="message-form" key={props.version}>
      <CsrfInput />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="field">
        <label htmlFor={bodyId}>{t('messages.body')}</label>
        <textarea
          id={bodyId}
          name="body"
          rows={4}
          required
          maxLength={MAX_MESSAGE_LENGTH}
          aria-invalid={errorId ? true : undefined}
          aria-describedby={[errorId, `${bodyId}-hint`].filter(Boolean).join(' ')}
        />
        <p id={`${bodyId}-hint`} className="hint">
          {t('messages.bodyHint')}
        </p>
        {props.error ? (
          <p id={errorId} className="field-errors" role="alert">
            {props.error}
          </p>
        ) : null}
      </div>
      {props.attachable === null ? (
        <p className="hint">{t('messages.textOnly')}</p>
      ) : props.attachable.length ? (
        <fieldset className="field">
          <legend>{t('messages.attach')}</legend>
          {props.attachable.map((a) => (
            <label key={a.id}>
              <input type="checkbox" name="attachmentIds" value={a.id} /> {a.name}
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="hint">{t('messages.attachNone')}</p>
      )}
      <button type="submit" className="primary">
        {t('messages.send')}
      </button>
    </Form>
  )
}

/** An order's messages as a page section (`#messages`). */
export function OrderMessages(props: {
  orderId: string
  messages: MessageView[]
  canPost: boolean
  attachable: { id: string; name: string }[]
  error: string | null
}) {
  const t = useT()
  return (
    <section className="card" id="messages" aria-labelledby="messages-title">
      <h2 id="messages-title">{t('messages.title')}</h2>
      <p className="muted">{t('messages.leadOrder')}</p>
      <MessageList messages={props.messages} />
      {props.canPost ? (
        <MessageForm
          id="order-message"
          action={`/orders/${props.orderId}/messages`}
          attachable={props.attachable}
          error={props.error}
          version={props.messages.at(-1)?.id ?? 0}
        />
      ) : null}
    </section>
  )
}

export interface JobQuestionsData {
  threads: { workshopId: string; workshopName: string; count: number; unread: number }[]
  selected: {
    workshopId: string
    workshopName: string
    messages: MessageView[]
    canPost: boolean
    closed: boolean
  } | null
}

/**
 * A job's questions as a page section (`#questions`): a workshop's own conversation with the
 * designer; for the designer and operators, one conversation per workshop that asked, the
 * chosen one (`?thread=<workshopId>`) open below the list.
 */
export function JobQuestions(
  props: JobQuestionsData & {
    jobId: string
    role: 'owner' | 'operator' | 'workshop'
    error: string | null
  },
) {
  const t = useT()
  const { selected } = props
  const lead =
    props.role === 'workshop'
      ? 'messages.questions.leadWorkshop'
      : props.role === 'owner'
        ? 'messages.questions.leadOwner'
        : 'messages.questions.leadOperator'
  return (
    <section className="card" id="questions" aria-labelledby="questions-title">
      <h2 id="questions-title">{t('messages.questions.title')}</h2>
      <p className="muted">{t(lead)}</p>
      {props.role !== 'workshop' ? (
        props.threads.length ? (
          <ul className="thread-list">
            {props.threads.map((thread) => (
              <li key={thread.workshopId}>
                <a
                  href={`/jobs/${props.jobId}?thread=${thread.workshopId}#questions`}
                  aria-current={selected?.workshopId === thread.workshopId ? 'true' : undefined}
                >
                  {thread.workshopName}
                </a>{' '}
                <span className="muted">{t('messages.questions.count', { n: thread.count })}</span>{' '}
                {thread.unread ? (
                  <span className="badge unread">{t('messages.unread', { n: thread.unread })}</span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t('messages.questions.none')}</p>
        )
      ) : null}
      {selected ? (
        <div className="thread">
          {props.role !== 'workshop' ? (
            <h3>{t('messages.questions.with', { name: selected.workshopName })}</h3>
          ) : null}
          <MessageList messages={selected.messages} />
          {selected.closed ? <p className="notice">{t('messages.questions.closed')}</p> : null}
          {selected.canPost ? (
            <MessageForm
              id="job-question"
              action={`/jobs/${props.jobId}/messages`}
              attachable={null}
              error={props.error}
              hidden={{ workshopId: selected.workshopId }}
              version={selected.messages.at(-1)?.id ?? 0}
            />
          ) : null}
        </div>
      ) : null}
    </section>
  )
}
