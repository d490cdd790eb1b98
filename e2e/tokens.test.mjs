// Personal API tokens: a member of staff creates one in the browser, a script (Node's fetch,
// not the browser) calls the API with it, and once the token is revoked the API refuses it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  clickAndLoad,
  login,
  openSession,
  pathOf,
  textOf,
  uniqueSuffix,
  useDemo,
  visit,
  zh,
} from './helpers.mjs';

const env = useDemo();

/** `GET /api/v1/me` as a script would call it. */
function callMe(token) {
  return fetch(new URL('/api/v1/me', env.server.baseURL), {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    signal: AbortSignal.timeout(30_000),
  });
}

test('staff creates an API token, uses it from a script, and revokes it', { timeout: TEST_TIMEOUT }, async () => {
  const tokenName = `月报导出脚本-${uniqueSuffix()}`;
  const { context, page, dialogs } = await openSession(env);
  try {
    await login(page, 'staff');
    await clickAndLoad(page, page.locator('nav.sidenav').getByRole('link', { name: zh('nav.tokens'), exact: true }));
    assert.equal(pathOf(page), '/account/tokens');
    assert.equal(await textOf(page.locator('h1')), zh('account.tokens.title'));
    assert.equal(await textOf(page.locator('[data-testid="tokens-empty"]')), zh('account.tokens.empty'));

    // Create: the secret is shown once, with the warning.
    const form = page.locator('[data-testid="token-create-form"]');
    await form.locator('input[name="name"]').fill(tokenName);
    await clickAndLoad(page, form.getByRole('button', { name: zh('account.tokens.create'), exact: true }));
    assert.equal(await textOf(page.locator('.flash-ok')), zh('account.tokens.created'));
    const created = page.locator('[data-testid="token-created"]');
    assert.equal(await textOf(created.locator('[role="alert"]')), zh('account.tokens.secret_warning'));
    const secret = (await page.locator('[data-testid="token-secret"]').innerText()).trim();
    assert.match(secret, /^dop_[0-9a-f]{32,}$/, `a token secret is shown (got "${secret}")`);
    const row = page.locator('[data-testid="token-row"]').filter({ hasText: tokenName });
    assert.equal(await row.count(), 1);
    assert.equal(await textOf(row.locator('[data-state]')), zh('account.tokens.active'));

    // Shown once: the page opened again does not show it.
    await visit(page, '/account/tokens');
    assert.equal(await page.locator('[data-testid="token-created"]').count(), 0, 'the secret is not shown again');
    assert.equal(await page.getByText(secret).count(), 0);

    // A script calls the API with it.
    const answer = await callMe(secret);
    assert.equal(answer.status, 200, `GET /api/v1/me with the token: HTTP ${answer.status}`);
    const me = await answer.json();
    assert.equal(me.username, 'staff');
    assert.ok(me.roles.includes('staff'), `roles: ${me.roles}`);
    // Without a token the API answers 401.
    const anonymous = await fetch(new URL('/api/v1/me', env.server.baseURL), { signal: AbortSignal.timeout(30_000) });
    assert.equal(anonymous.status, 401);

    // The list now shows when the token was last used.
    await visit(page, '/account/tokens');
    const usedRow = page.locator('[data-testid="token-row"]').filter({ hasText: tokenName });
    assert.ok(!(await textOf(usedRow)).includes(zh('account.tokens.never')), 'the token shows its last use');

    // Revoke (after confirming), in the UI.
    await clickAndLoad(page, usedRow.locator('[data-testid="token-revoke"]'));
    assert.deepEqual(dialogs, [zh('account.tokens.revoke_confirm')], 'revoking asks for confirmation first');
    assert.equal(pathOf(page), '/account/tokens?ok=revoked');
    assert.equal(await textOf(page.locator('.flash-ok')), zh('account.tokens.revoked_ok'));
    const revokedRow = page.locator('[data-testid="token-row"]').filter({ hasText: tokenName });
    assert.equal(await revokedRow.locator('[data-state]').getAttribute('data-state'), 'revoked');
    assert.ok((await textOf(revokedRow)).includes(zh('account.tokens.revoked')));
    assert.equal(await revokedRow.locator('[data-testid="token-revoke"]').count(), 0, 'a revoked token cannot be revoked again');

    // The API refuses it now.
    const refused = await callMe(secret);
    assert.equal(refused.status, 401, `GET /api/v1/me with the revoked token: HTTP ${refused.status}`);
  } finally {
    await context.close();
  }
});
