// Every page, as each kind of user reaches it, in both languages: the browser must log no
// console error, no uncaught script error and no Content-Security-Policy violation (the CSP
// forbids inline script and style, so a stray `onclick=` or `style=` shows up here).
// The only thing tolerated is a missing favicon.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  clickAndLoad,
  login,
  logout,
  openSession,
  pathOf,
  textOf,
  useDemo,
  visit,
  zh,
} from './helpers.mjs';

const env = useDemo();

test('no page logs a console error or a CSP violation', { timeout: TEST_TIMEOUT }, async () => {
  const { context, page, problems } = await openSession(env);
  const visited = [];
  const check = async (path, { heading } = {}) => {
    if (path !== null) {
      const response = await visit(page, path);
      assert.ok(response.ok(), `GET ${path}: HTTP ${response.status()}`);
    }
    visited.push(pathOf(page));
    // Scripts are deferred: let them run, and htmx settle, before reading the console.
    await page.waitForLoadState('networkidle');
    if (heading) assert.equal(await textOf(page.locator('h1')), heading, `heading of ${pathOf(page)}`);
  };
  try {
    await check('/login', { heading: zh('auth.login_title') });

    // The system administrator's pages, in Chinese and in English.
    await login(page, 'admin');
    await check(null, { heading: zh('home.title') });
    await check('/admin/users', { heading: zh('admin.users.title') });
    await clickAndLoad(page, page.locator('[data-testid="edit-staff"]'));
    await check(null);
    await check('/admin/departments', { heading: zh('admin.departments.title') });
    await clickAndLoad(page, page.locator('[data-testid^="edit-department-"]').nth(1));
    await check(null);
    await check('/admin/roles', { heading: zh('admin.roles.title') });
    await check('/account/password', { heading: zh('account.password.title') });
    await check('/account/totp', { heading: zh('account.totp.title') });
    await check('/account/tokens', { heading: zh('account.tokens.title') });
    await clickAndLoad(page, page.locator('nav.lang-switch a', { hasText: 'English' }));
    await check(null);
    await check('/');
    await check('/admin/departments');
    await clickAndLoad(page, page.locator('nav.lang-switch a', { hasText: '中文' }));
    await check(null);
    await logout(page);
    await check(null);

    // The security administrator's.
    await login(page, 'security');
    await check('/admin/users');
    await clickAndLoad(page, page.locator('[data-testid="roles-leader"]'));
    await check(null);
    await logout(page);

    // The auditor's, with a filter and the next page of the log.
    await login(page, 'auditor');
    await check('/audit', { heading: zh('audit.title') });
    await check('/audit?action=department.&outcome=success');
    const next = page.locator('[data-testid="audit-next"]');
    if ((await next.count()) > 0) {
      await clickAndLoad(page, next);
      await check(null);
    }
    await check('/audit/logins', { heading: zh('audit.logins_title') });
    await logout(page);

    // A member of staff: a token shown once (and copied), a two-step enrolment with its QR code,
    // and the API documentation the tokens page links to.
    await login(page, 'staff');
    await check('/account/tokens');
    const tokenForm = page.locator('[data-testid="token-create-form"]');
    await tokenForm.locator('input[name="name"]').fill('控制台检查');
    await clickAndLoad(page, tokenForm.locator('button[type="submit"]'));
    await check(null);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('[data-testid="token-copy"]').click();
    const secret = (await page.locator('[data-testid="token-secret"]').innerText()).trim();
    const copied = await page.evaluate(async (expected) => {
      for (let i = 0; i < 100; i += 1) {
        if ((await navigator.clipboard.readText()) === expected) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    }, secret);
    assert.ok(copied, 'the copy button puts the token on the clipboard');
    await check('/account/totp');
    await clickAndLoad(page, page.locator('[data-testid="totp-start-form"] button[type="submit"]'));
    await page.locator('[data-testid="totp-qr"] svg').waitFor();
    await check(null);
    await check('/account/tokens');
    await clickAndLoad(page, page.locator('a[href="/api/docs/"]'));
    await page.locator('.swagger-ui, #swagger-ui').first().waitFor();
    await check(null);
    await check('/');

    assertNoProblems(problems, `on ${visited.join(', ')}`);
  } finally {
    await context.close();
  }
});

test('the error page itself logs nothing but its own 404 status', { timeout: TEST_TIMEOUT }, async () => {
  const { context, page, problems } = await openSession(env);
  try {
    await login(page, 'admin');
    const response = await visit(page, '/admin/users/999999');
    assert.equal(response.status(), 404);
    await page.waitForLoadState('networkidle');
    assert.equal(await textOf(page.locator('h1')), zh('error.title'));
    assert.equal(await textOf(page.locator('[data-testid="error-message"]')), zh('error.not_found'));
    // Chromium reports a document answered with 404 as "Failed to load resource": that is the
    // status we asked for, not a fault of the page. Anything else is.
    const pageUrl = page.url();
    const others = problems.filter(
      (p) => !(p.includes('Failed to load resource') && p.includes('404') && p.endsWith(`(${pageUrl})`)),
    );
    assertNoProblems(others, 'on the error page');
  } finally {
    await context.close();
  }
});
