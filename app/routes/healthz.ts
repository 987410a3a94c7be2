import type { LoaderFunctionArgs } from '@remix-run/node'

export async function loader({ context }: LoaderFunctionArgs) {
  const health = await context.health()
  return new Response(JSON.stringify(health), {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  })
}
