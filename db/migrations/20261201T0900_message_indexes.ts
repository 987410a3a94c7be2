import { sql, type Kysely } from 'kysely'

// Unread counts (app/models/message.server.ts) find a viewer's job threads by job (the design
// firm's) or by workshop (the workshop's); messages_thread_idx then counts within each thread.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index messages_job_idx on messages (job_id) where job_id is not null`.execute(db)
  await sql`create index messages_job_workshop_idx on messages (workshop_organization_id)
    where job_id is not null`.execute(db)
}
