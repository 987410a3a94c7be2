import type { Db } from '../../db/client.ts'
import type { TaskDeps } from '../../workers/context.ts'
import { createMailTransport } from '../../emails/transport.server.ts'
import { createLogger } from '../../app/utils/logger.server.ts'
import { createEmbeddedIndex } from '../../search/embedded.ts'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createLocalStorage } from '../../app/models/storage.server.ts'

/** What worker tasks need, over a test database: local mailbox, a fresh embedded index. */
export function testTaskDeps(db: Db, overrides: Partial<TaskDeps> = {}): TaskDeps {
  return {
    db,
    mail: createMailTransport(undefined),
    mailFrom: 'Shared Factory <noreply@shared-factory.test>',
    logger: createLogger('silent'),
    search: createEmbeddedIndex(),
    publicUrl: 'http://localhost',
    storage: createLocalStorage(mkdtempSync(path.join(os.tmpdir(), 'sf-task-files-'))),
    stripe: null,
    ...overrides,
  }
}
