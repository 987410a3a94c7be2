// GET /api/v1/me as the demo designer: session lookup + account read, JSON out.
import { DEMO_DESIGNER, defineScenario } from './lib.ts'

export default defineScenario({
  name: 'api-me',
  async run(ctx) {
    const cookie = await ctx.sessionCookie(DEMO_DESIGNER)
    return [
      await ctx.bench({
        title: 'GET /api/v1/me (session)',
        path: '/api/v1/me',
        headers: { Cookie: cookie, Accept: 'application/json' },
      }),
    ]
  },
})
