// An HTTP client for the scale test's virtual users: a cookie jar and CSRF header per user, a
// home web process and the others to fail over to (as a load balancer would when a process
// dies), bounded timeouts and retries, and a record of every response.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface Sample {
  label: string
  base: string
  status: number | 'network' | 'timeout'
  ms: number
  at: number
}

/** What every client saw, shared by the whole run. */
export class Recorder {
  samples: Sample[] = []
  /** 5xx other than 503, and 503s outside an announced database outage. */
  problems: string[] = []
  dbDown = false
  add(sample: Sample, detail: () => string) {
    this.samples.push(sample)
    if (typeof sample.status === 'number' && sample.status >= 500 && sample.status !== 503) {
      const when = new Date(sample.at).toISOString().slice(11, 23)
      const phase = this.dbDown ? ' (database down)' : ''
      this.problems.push(
        `${when}${phase} ${sample.label} on ${sample.base}: HTTP ${sample.status} ${detail()}`,
      )
    }
  }
}

export interface ApiResponse {
  status: number
  body: any
  headers: Headers
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly response?: ApiResponse,
  ) {
    super(message)
  }
}

export interface CallOptions {
  /** Row label for the figures (defaults to the method and the path's first segments). */
  label?: string
  /** Retry network errors, timeouts and 503 (default true) until this many ms have passed. */
  retryForMs?: number
  timeoutMs?: number
  /** Multipart or other raw bodies. */
  rawBody?: FormData
}

export class Client {
  private cookies = new Map<string, string>()
  csrf: string | undefined
  /** The index of `bases` this user talks to; moves on when its process is unreachable. */
  private current: number

  constructor(
    readonly name: string,
    private readonly bases: string[],
    home: number,
    private readonly recorder: Recorder,
  ) {
    this.current = home % bases.length
  }

  get base() {
    return this.bases[this.current]!
  }

  /** Sends on one given web process (for cross-process checks), without failover. */
  async once(
    base: string,
    method: string,
    pathname: string,
    body?: unknown,
    options: CallOptions = {},
  ) {
    return this.send(base, method, pathname, body, options)
  }

  private async send(
    base: string,
    method: string,
    pathname: string,
    body: unknown,
    options: CallOptions,
  ): Promise<ApiResponse> {
    const headers = new Headers({ accept: 'application/json' })
    if (this.cookies.size) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    }
    if (method !== 'GET' && this.csrf) headers.set('x-csrf-token', this.csrf)
    let payload: BodyInit | undefined
    if (options.rawBody) payload = options.rawBody
    else if (body !== undefined) {
      payload = JSON.stringify(body)
      headers.set('content-type', 'application/json')
    }
    const label =
      options.label ??
      `${method} ${pathname.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')}`
    const started = Date.now()
    let response: Response
    try {
      response = await fetch(new URL(pathname, base), {
        method,
        headers,
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
      })
    } catch (error) {
      const timeout = error instanceof Error && error.name === 'TimeoutError'
      this.recorder.add(
        {
          label,
          base,
          status: timeout ? 'timeout' : 'network',
          ms: Date.now() - started,
          at: started,
        },
        () => '',
      )
      throw new HttpError(
        `${method} ${pathname} on ${base}: ${timeout ? 'timeout' : 'network error'}`,
      )
    }
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value === '' || attrs.some((a) => /max-age=0/i.test(a.trim()))) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const text = await response.text().catch(() => '')
    let parsed: unknown = text
    if ((response.headers.get('content-type') ?? '').includes('json') && text) {
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = text
      }
    }
    this.recorder.add(
      { label, base, status: response.status, ms: Date.now() - started, at: started },
      () => text.slice(0, 300),
    )
    return { status: response.status, body: parsed, headers: response.headers }
  }

  /**
   * Sends with failover: a network error or timeout moves this user to the next web process;
   * a 503 (database down) waits and retries; both until `retryForMs` has passed. Any other
   * answer is returned as it is.
   */
  async call(
    method: string,
    pathname: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<ApiResponse> {
    const deadline = Date.now() + (options.retryForMs ?? 60_000)
    let wait = 250
    for (;;) {
      try {
        const res = await this.send(this.base, method, pathname, body, options)
        if (res.status !== 503 || Date.now() > deadline) return res
      } catch (error) {
        if (Date.now() > deadline) throw error
        this.current = (this.current + 1) % this.bases.length
      }
      await sleep(wait)
      wait = Math.min(wait * 2, 2_000)
    }
  }

  /** `call`, and the body when the status is one of `expected` (else an HttpError). */
  async expect(
    expected: number[],
    method: string,
    pathname: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<any> {
    const res = await this.call(method, pathname, body, options)
    if (!expected.includes(res.status)) {
      throw new HttpError(
        `${this.name}: ${method} ${pathname} → ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`,
        res,
      )
    }
    return res.body
  }

  /** Logs in through the API: session cookie + CSRF token. */
  async login(email: string, password: string) {
    const body = await this.expect([200], 'POST', '/api/v1/session', { email, password })
    this.csrf = body.csrf_token as string
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}
