// Shared helpers of the browser tests: a fresh demo server per test file, headless Chromium,
// the message catalogs, and the few user actions every story needs (sign in, submit a form,
// sign out).
//
// Every test file calls `useDemo()` at its top level: it registers `before`/`after` hooks that
// start `districtops demo` on a free port with a fresh data folder and launch Chromium, and that
// always close the browser and stop the server, even when a test fails.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BINARY = process.env.DISTRICTOPS_BIN || join(ROOT, 'target', 'debug', 'districtops');
export const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The demo accounts' password (it meets the password policy, as `districtops demo` demands). */
export const DEMO_PASSWORD = 'Demo#2026e2e';
/** Every navigation and every wait for an element: generous, the CI machine has 2 cores. */
export const TIMEOUT = 30_000;
/** Time for one whole user story. */
export const TEST_TIMEOUT = 240_000;
const SERVER_START_TIMEOUT = 90_000;

// ---------------------------------------------------------------------------------------------
// The message catalogs: tests assert the words the user sees, taken from the catalogs.

/** Reads the small TOML subset the catalogs use: `[table]` headers and `key = "string"` lines. */
function readCatalog(lang) {
  const file = join(ROOT, 'crates', 'web', 'locales', `${lang}.toml`);
  const messages = new Map();
  let table = '';
  for (const [index, raw] of readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      table = header[1].trim();
      continue;
    }
    const entry = /^("(?:[^"\\]|\\.)*"|[A-Za-z0-9_.-]+)\s*=\s*("(?:[^"\\]|\\.)*")\s*(?:#.*)?$/.exec(line);
    if (!entry) throw new Error(`${file}:${index + 1}: line not understood by the e2e catalog reader`);
    const key = entry[1].startsWith('"') ? JSON.parse(entry[1]) : entry[1];
    messages.set(table ? `${table}.${key}` : key, JSON.parse(entry[2]));
  }
  return messages;
}

const catalogs = { 'zh-CN': readCatalog('zh-CN'), en: readCatalog('en') };

/** The message `key` in `lang` (`zh-CN` or `en`), with `{name}` placeholders filled in. */
export function msg(lang, key, args = {}) {
  const text = catalogs[lang]?.get(key);
  if (text === undefined) throw new Error(`message ${key} is missing from the ${lang} catalog`);
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
}

/** Chinese (the default language) … */
export const zh = (key, args) => msg('zh-CN', key, args);
/** … and English. */
export const en = (key, args) => msg('en', key, args);

// ---------------------------------------------------------------------------------------------
// The demo server.

/** A port nobody listens on right now: bind port 0, read it, close. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const running = new Set();
// Last resort: never leave a server behind when the test process ends abruptly.
process.on('exit', () => {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function waitForHealth(baseURL, deadline) {
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('/healthz', baseURL), { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the demo server at ${baseURL} never answered GET /healthz (${last})`);
}

/** Starts `districtops demo` once: resolves when it serves, rejects when it exits first. */
async function startOnce() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'districtops-e2e-'));
  const baseURL = `http://127.0.0.1:${port}/`;
  const child = spawn(BINARY, ['demo', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, DISTRICTOPS_DEMO_PASSWORD: DEMO_PASSWORD, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolveExit({ code, signal });
    });
  });
  const server = {
    baseURL,
    port,
    dataDir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await new Promise((resolveReady, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the demo server did not print ${baseURL} within ${SERVER_START_TIMEOUT} ms`)),
        SERVER_START_TIMEOUT,
      );
      const onData = (chunk) => {
        output += chunk.toString();
        if (output.includes(baseURL)) {
          clearTimeout(timer);
          resolveReady();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk) => {
        output += chunk.toString();
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the demo server exited (code ${code}, signal ${signal}) before serving`));
      });
    });
    await waitForHealth(baseURL, Date.now() + SERVER_START_TIMEOUT);
    return server;
  } catch (error) {
    await server.stop();
    error.message += `\n--- demo server output ---\n${output}`;
    throw error;
  }
}

/** A fresh demo district (fresh database) on a free port; retried if the port was taken. */
export async function startDemo() {
  if (!existsSync(BINARY)) {
    throw new Error(
      `The districtops binary is missing: ${BINARY}\n` +
        'Build it first: cd /work/main && cargo build',
    );
  }
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    try {
      return await startOnce();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

// ---------------------------------------------------------------------------------------------
// The browser.

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/**
 * Registers the hooks of a test file: a fresh demo server and a browser before the tests,
 * both gone after them (whatever happened). Returns an object whose `server` and `browser`
 * are set once `before` has run.
 */
export function useDemo() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startDemo();
    env.browser = await launchBrowser();
  }, { timeout: SERVER_START_TIMEOUT * 2 });
  after(async () => {
    const errors = [];
    try {
      if (env.browser) await env.browser.close();
    } catch (error) {
      errors.push(error);
    }
    try {
      if (env.server) await env.server.stop();
    } catch (error) {
      errors.push(error);
    }
    if (errors.length) throw errors[0];
  }, { timeout: 60_000 });
  return env;
}

/** Whether a console message is the one thing we tolerate: a missing favicon. */
function isMissingFavicon(message) {
  const url = message.location()?.url ?? '';
  return /\/favicon\.(ico|svg|png)(\?|$)/.test(url) && /Failed to load resource/.test(message.text());
}

/**
 * A new browser session (its own cookies) on the demo server. Confirmation dialogs
 * (`data-confirm`) are accepted and recorded in `dialogs`; console errors, uncaught page
 * errors and Content-Security-Policy violations are recorded in `problems`.
 */
export async function openSession(env) {
  const context = await env.browser.newContext({
    baseURL: env.server.baseURL,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const problems = [];
  const dialogs = [];
  await context.exposeBinding('__e2eReportCspViolation', ({ page }, violation) => {
    problems.push(`CSP violation on ${page.url()}: ${JSON.stringify(violation)}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__e2eReportCspViolation({
        directive: event.violatedDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        line: event.lineNumber,
      });
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && !isMissingFavicon(message)) {
      problems.push(`console error on ${page.url()}: ${message.text()} (${message.location()?.url ?? ''})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.accept();
  });
  return { context, page, problems, dialogs };
}

// ---------------------------------------------------------------------------------------------
// What users do.

/** A page's path and query, e.g. `/admin/users?ok=roles`. */
export function pathOf(page) {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Clicks something that loads a new page (a link, a form's button) and waits for that page. */
export async function clickAndLoad(page, target) {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  const navigated = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame(),
    timeout: TIMEOUT,
  });
  await locator.click();
  await navigated;
  await page.waitForLoadState('load');
}

/** Opens a path and waits for the page. */
export async function visit(page, path) {
  return page.goto(path, { waitUntil: 'load' });
}

/** The visible text of an element, whitespace squeezed. */
export async function textOf(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** Fills the login form and submits it; stays wherever the app sends the browser. */
export async function submitLogin(page, username, password) {
  if (new URL(page.url()).pathname !== '/login') await visit(page, '/login');
  const form = page.locator('form[action="/login"]');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await clickAndLoad(page, form.locator('button[type="submit"]'));
}

/** Signs in and checks the app let the user in. */
export async function login(page, username, password = DEMO_PASSWORD) {
  await submitLogin(page, username, password);
  assert.notEqual(
    new URL(page.url()).pathname,
    '/login',
    `signing in as ${username} failed: ${await page.locator('[data-testid="login-error"]').allInnerTexts()}`,
  );
}

/** Signs out with the header's button and checks the login page is shown. */
export async function logout(page) {
  await clickAndLoad(page, page.locator('[data-testid="logout"]'));
  assert.equal(new URL(page.url()).pathname, '/login', 'signing out should end on the login page');
}

/** Picks the option of a `<select>` whose visible text (without the tree indent) is `label`. */
export async function selectByText(select, label) {
  const values = await select.locator('option').evaluateAll(
    (options, wanted) => options.filter((o) => o.textContent.trim() === wanted).map((o) => o.value),
    label,
  );
  assert.equal(values.length, 1, `expected exactly one option "${label}", found ${values.length}`);
  await select.selectOption(values[0]);
  return values[0];
}

/** A suffix that makes names unique per run. */
export function uniqueSuffix() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36).padStart(2, '0')}`;
}

/** A full-page screenshot in e2e/screenshots/ (git-ignored). */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Fails with every recorded console error, page error and CSP violation. */
export function assertNoProblems(problems, where = '') {
  assert.deepEqual(problems, [], `the browser reported problems${where ? ` ${where}` : ''}:\n${problems.join('\n')}`);
}

/** Creates a user as an administrator on /admin/users; returns the one-time first password. */
export async function createUser(page, { username, displayName, department }) {
  await visit(page, '/admin/users');
  const form = page.locator('[data-testid="user-create-form"]');
  await form.locator('[data-testid="new-username"]').fill(username);
  await form.locator('[data-testid="new-display-name"]').fill(displayName);
  await selectByText(form.locator('[data-testid="new-department"]'), department);
  await clickAndLoad(page, form.locator('[data-testid="create-user"]'));
  const secret = page.locator('[data-testid="one-time-password"]');
  await secret.waitFor();
  assert.equal(
    await textOf(secret.locator('h2')),
    zh('admin.users.secret_created', { username }),
    'the one-time password box names the new user',
  );
  const password = (await page.locator('[data-testid="created-password"]').innerText()).trim();
  assert.ok(password.length >= 8, `a first password is shown (got "${password}")`);
  return password;
}
