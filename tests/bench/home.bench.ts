// GET / anonymous: the server-rendered home page (no cookies, like a first visit).
import { defineScenario } from './lib.ts'

export default defineScenario({
  name: 'home',
  async run(ctx) {
    return [
      await ctx.bench({
        title: 'GET / (anonymous)',
        path: '/',
        headers: { Accept: 'text/html' },
      }),
    ]
  },
})
