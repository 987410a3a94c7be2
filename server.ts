// Starts the web process. `npm start` / `npm run dev` (no argument): everything in one
// process on embedded defaults — PostgreSQL (unless DATABASE_URL), migrations, demo data on
// an empty database, the worker inline (unless WORKER=off). `npm run start:web` (argument
// `web`): the production web alone — see app/server/web.server.ts and README "Production".
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runMain, runWeb } from './app/server/web.server.ts'

const root = path.dirname(fileURLToPath(import.meta.url))
const role = process.argv[2] === 'web' ? 'web' : 'all-in-one'

runMain(() => runWeb(role, root))
