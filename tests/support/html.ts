/**
 * The text a reader sees in a server-rendered page: without scripts (Remix serialises
 * loader and action data into one, which would make any string "appear") or tags.
 */
export function visibleText(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

/** A page as the browser gets it: status, redirect target, markup and the text a reader sees. */
export async function readPage(response: Response | Promise<Response>) {
  const res = await response
  const html = await res.text()
  return {
    status: res.status,
    location: res.headers.get('location'),
    html,
    text: visibleText(html),
  }
}
