// Signing in: a wrong password is refused in Chinese, and a new account must replace the
// first password its administrator handed over before it may do anything else.
//
// The server allows 10 login attempts a minute from one address: this file stays well below.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  clickAndLoad,
  createUser,
  login,
  logout,
  openSession,
  pathOf,
  submitLogin,
  textOf,
  uniqueSuffix,
  useDemo,
  visit,
  zh,
} from './helpers.mjs';

const env = useDemo();

test('a wrong password shows the Chinese error and stays on the login page', { timeout: TEST_TIMEOUT }, async () => {
  const { context, page } = await openSession(env);
  try {
    await visit(page, '/login');
    await submitLogin(page, 'office', 'not-the-password-1A!');
    assert.equal(new URL(page.url()).pathname, '/login', 'still on the login page');
    assert.equal(await textOf(page.locator('h1')), zh('auth.login_title'));
    assert.equal(await textOf(page.locator('[data-testid="login-error"]')), zh('auth.login_failed'));
    // The user name is kept, the password is not.
    assert.equal(await page.locator('input[name="username"]').inputValue(), 'office');
    assert.equal(await page.locator('input[name="password"]').inputValue(), '');
    assert.equal(await page.locator('[data-testid="current-user"]').count(), 0, 'nobody is signed in');

    // An unknown user name gets the very same answer (nothing tells which part was wrong).
    await submitLogin(page, `nobody${uniqueSuffix()}`, 'not-the-password-1A!');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await textOf(page.locator('[data-testid="login-error"]')), zh('auth.login_failed'));

    // Still not signed in.
    await visit(page, '/');
    assert.equal(pathOf(page), '/login');
  } finally {
    await context.close();
  }
});

test('a new user must change the first password at first login', { timeout: TEST_TIMEOUT }, async () => {
  const suffix = uniqueSuffix();
  const username = `newbie.${suffix}`;
  const displayName = `新同事${suffix}`;
  const goodPassword = 'Quancheng!2027x';

  // The system administrator creates the account and reads its first password.
  const admin = await openSession(env);
  let firstPassword;
  try {
    await login(admin.page, 'admin');
    firstPassword = await createUser(admin.page, { username, displayName, department: '项目推进科' });
    await logout(admin.page);
  } finally {
    await admin.context.close();
  }

  const { context, page } = await openSession(env);
  try {
    // First login: straight to the password page, with the reason.
    await submitLogin(page, username, firstPassword);
    assert.equal(pathOf(page), '/account/password', 'the first login lands on /account/password');
    assert.equal(await textOf(page.locator('h1')), zh('account.password.title'));
    assert.equal(await textOf(page.locator('[data-testid="must-change-password"]')), zh('account.password.must_change'));
    assert.equal(await textOf(page.locator('[data-testid="current-user"] strong')), displayName);

    // Nothing else opens before the password is changed.
    await visit(page, '/');
    assert.equal(pathOf(page), '/account/password', 'the home page sends back to the password page');
    await visit(page, '/account/tokens');
    assert.equal(pathOf(page), '/account/password');

    const form = page.locator('[data-testid="password-form"]');
    const fill = async (current, next, repeat = next) => {
      await form.locator('input[name="current_password"]').fill(current);
      await form.locator('input[name="new_password"]').fill(next);
      await form.locator('input[name="repeat_password"]').fill(repeat);
      await clickAndLoad(page, form.locator('[data-testid="password-submit"]'));
    };

    // A weak password: refused, with the reason next to the field, in Chinese.
    const rules = await textOf(page.locator('[data-testid="password-rules"]'));
    const tooShort = rules.includes(zh('account.password.rule_min_12')) ? 'password.too_short_12' : 'password.too_short_8';
    await fill(firstPassword, 'abc');
    assert.equal(pathOf(page), '/account/password', 'a weak password keeps the user on the page');
    assert.equal(await textOf(page.locator('[data-testid="form-error"]')), zh('error.invalid'));
    assert.equal(await textOf(form.locator('.field-error[data-field="new_password"]')), zh(tooShort));
    assert.equal(await form.locator('input[name="new_password"]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('[data-testid="must-change-password"]').count(), 1, 'the change is still owed');

    // A common password and one containing the user name are refused too.
    await fill(firstPassword, 'Admin@123');
    assert.equal(await textOf(form.locator('.field-error[data-field="new_password"]')), zh('password.too_common'));
    await fill(firstPassword, `${username}Aa1!`);
    assert.equal(await textOf(form.locator('.field-error[data-field="new_password"]')), zh('password.contains_username'));

    // The two new passwords must match.
    await fill(firstPassword, goodPassword, `${goodPassword}-`);
    assert.equal(await textOf(form.locator('.field-error[data-field="repeat_password"]')), zh('account.password.mismatch'));

    // A good one: accepted, and the user lands on the home page.
    await fill(firstPassword, goodPassword);
    assert.equal(new URL(page.url()).pathname, '/', 'a good password lands on the home page');
    assert.equal(await textOf(page.locator('h1')), zh('home.title'));
    assert.equal(await textOf(page.locator('[data-testid="current-user"] strong')), displayName);
    await visit(page, '/account/password');
    assert.equal(await page.locator('[data-testid="must-change-password"]').count(), 0, 'no change is owed any more');
    await logout(page);

    // The first password no longer works; the new one goes straight in.
    await submitLogin(page, username, firstPassword);
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await textOf(page.locator('[data-testid="login-error"]')), zh('auth.login_failed'));
    await login(page, username, goodPassword);
    assert.equal(pathOf(page), '/', 'the next login goes straight to the home page');
  } finally {
    await context.close();
  }
});
