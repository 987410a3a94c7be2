import { defineConfig } from '@playwright/test'

const PORT = 3210
const baseURL = `http://127.0.0.1:${PORT}`

export default defineConfig({
  testDir: 'tests/e2e',
  // One server and one database for the run; journeys create their own users.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: 'list',
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    // Serves the existing production build (`npm run build` runs before this, never here)
    // on a fresh embedded PostgreSQL in a temp DATA_DIR.
    command: 'node tests/e2e/serve.mjs',
    env: { PORT: String(PORT), PUBLIC_URL: baseURL, LOG_LEVEL: 'warn' },
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM lets the server stop PostgreSQL and the launcher delete the temp directory.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
})
