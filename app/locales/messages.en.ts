import type { messagesZh } from './messages.zh-CN.ts'

export const messagesEn: Record<keyof typeof messagesZh, string> = {
  'messages.title': 'Messages',
  'messages.leadOrder': 'Both parties to the order and platform operators see these messages.',
  'messages.empty': 'No messages yet.',
  'messages.body': 'Message',
  'messages.bodyHint': 'Up to 5000 characters. The other party is told by email.',
  'messages.send': 'Send',
  'messages.attach': "Attach the order's files",
  'messages.attachNone': 'No files have been uploaded to this order yet.',
  'messages.attachments': 'Attachments',
  'messages.textOnly':
    'Questions are text only; once there is an order, its messages can carry files.',
  'messages.platform': 'Platform operator',
  'messages.you': 'Your company',
  'messages.failed': 'The message was not sent; please try again.',
  'messages.unread': '{n} unread',
  'messages.unreadNav': '{n} unread messages',
  'messages.questions.title': 'Questions',
  'messages.questions.leadWorkshop':
    'Ask the designer about this job. Only your company, the designer and platform operators see this.',
  'messages.questions.leadOwner':
    'Questions workshops asked about this job, one conversation per workshop.',
  'messages.questions.leadOperator':
    'Questions between workshops and the designer (operators can read, not write).',
  'messages.questions.none': 'No workshop has asked anything yet.',
  'messages.questions.count': '{n} messages',
  'messages.questions.with': 'Conversation with {name}',
  'messages.questions.closed':
    'This job no longer takes questions; once ordered, write on the order instead.',
  'messages.questions.unreadOnJobs': 'Unread questions on jobs',
  'email.message.subjectOrder': '[Shared Factory] {sender} wrote on order {subject}',
  'email.message.subjectJob': '[Shared Factory] {sender} wrote about the job "{subject}"',
  'email.message.wrote': '{sender} wrote:',
  'email.message.button': 'Read and reply',
  'email.message.quiet':
    'Until you have read it, further messages in this conversation within 10 minutes do not send another email.',
  'error.message_empty': 'Write a message',
  'error.message_too_long': 'A message is at most 5000 characters',
  'error.attachments_order_only': 'Questions are text only; they cannot carry files',
  'error.thread_closed': 'This job no longer takes questions',
}
