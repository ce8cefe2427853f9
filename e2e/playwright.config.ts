import { defineConfig, devices } from '@playwright/test';

// `cargo xtask test` (or `--only e2e`) sets these: a free port, the debug
// server binary, the release assets in dist/ and a fresh database file.
// Without E2E_SERVER_BIN no server is started and the tests run against
// E2E_BASE_URL (default http://127.0.0.1:8080, e.g. a `cargo xtask run`).
const port = process.env.E2E_PORT ?? '8080';
const baseURL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`;
const serverBin = process.env.E2E_SERVER_BIN;
// The embedding tests serve a host page from this second origin (embed.spec.ts).
const hostPort = process.env.E2E_HOST_PORT ?? String(Number(port) + 1);
const isCI = !!process.env.CI;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  // 2 cores, shared with the server under test.
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's chromium; never `npx playwright install` (no network for it).
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: serverBin
    ? {
        command: [
          quote(serverBin),
          '--bind', `127.0.0.1:${port}`,
          '--database', quote(process.env.E2E_DATABASE ?? 'e2e.db'),
          '--assets', quote(process.env.E2E_ASSETS ?? '../dist'),
          '--demo-conversations', '60',
          '--cors-origin', `http://127.0.0.1:${hostPort}`,
        ].join(' '),
        url: `${baseURL}/api/v1/health`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: 'pipe',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      }
    : undefined,
});
