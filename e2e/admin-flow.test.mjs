// The administration story end to end, as three people with separate duties do it:
// the system administrator sets up a section and an account for a new colleague, the security
// administrator grants the colleague a role, and the auditor finds all of it in the logs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  clickAndLoad,
  createUser,
  en,
  login,
  logout,
  openSession,
  pathOf,
  screenshot,
  selectByText,
  textOf,
  uniqueSuffix,
  useDemo,
  visit,
  zh,
} from './helpers.mjs';

const env = useDemo();

const PARENT_BUREAU = '区投资促进局';

/** The audit rows on the page that show `text` (e.g. one of their changes). */
function auditRows(page, text) {
  return page.locator('[data-testid="audit-row"]').filter({ hasText: text });
}

/** Filters the audit log with the form on the page, as a user would. */
async function filterLog(page, fields) {
  const form = page.locator('[data-testid="audit-filter"]');
  for (const [name, value] of Object.entries(fields)) {
    await form.locator(`input[name="${name}"]`).fill(value);
  }
  await clickAndLoad(page, form.locator('button[type="submit"]'));
}

test('admin sets up a section and a user, security grants a role, the auditor sees it all', { timeout: TEST_TIMEOUT }, async () => {
  const suffix = uniqueSuffix();
  const department = `招商测试科${suffix}`;
  const username = `e2e.${suffix}`;
  const displayName = `测试员${suffix}`;
  const { context, page, problems } = await openSession(env);
  try {
    // Not signed in: the home page sends the visitor to the login page.
    await visit(page, '/');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await textOf(page.locator('h1')), zh('auth.login_title'));

    // --- The system administrator signs in. ---
    await login(page, 'admin');
    assert.equal(pathOf(page), '/');
    const currentUser = page.locator('[data-testid="current-user"]');
    assert.equal(await textOf(currentUser.locator('strong')), '系统管理员', 'the header names the user');
    assert.equal(await textOf(page.locator('.demo-badge')), zh('demo.badge'), 'the demo badge 演示 is shown');
    assert.equal(await textOf(page.locator('h1')), zh('home.title'));
    await screenshot(page, 'home.png');

    // English through the header's switch, on the same page…
    await clickAndLoad(page, page.locator('nav.lang-switch a', { hasText: 'English' }));
    assert.equal(pathOf(page), '/', 'the language switch returns to the same page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    const nav = page.locator('nav.sidenav');
    assert.ok(await nav.getByRole('link', { name: en('nav.users'), exact: true }).isVisible(), 'navigation shows "Users"');
    assert.ok(await nav.getByRole('link', { name: en('nav.departments'), exact: true }).isVisible());
    assert.equal(await textOf(page.locator('[data-testid="logout"]')), en('auth.logout'), 'the header shows "Sign out"');
    assert.equal(await textOf(page.locator('h1')), en('home.title'));
    assert.equal(await textOf(page.locator('.demo-badge')), en('demo.badge'));
    // … and back to Chinese.
    await clickAndLoad(page, page.locator('nav.lang-switch a', { hasText: '中文' }));
    assert.equal(pathOf(page), '/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.ok(await nav.getByRole('link', { name: zh('nav.users'), exact: true }).isVisible());
    assert.equal(await textOf(page.locator('[data-testid="logout"]')), zh('auth.logout'));

    // A new section under 区投资促进局.
    await clickAndLoad(page, nav.getByRole('link', { name: zh('nav.departments'), exact: true }));
    assert.equal(pathOf(page), '/admin/departments');
    assert.equal(await textOf(page.locator('h1')), zh('admin.departments.title'));
    const departmentForm = page.locator('[data-testid="department-create-form"]');
    await departmentForm.locator('[data-testid="new-department-name"]').fill(department);
    await selectByText(departmentForm.locator('[data-testid="new-department-kind"]'), zh('admin.kind.section'));
    const parentId = await selectByText(departmentForm.locator('[data-testid="new-department-parent"]'), PARENT_BUREAU);
    await clickAndLoad(page, departmentForm.locator('[data-testid="create-department"]'));
    assert.equal(pathOf(page), '/admin/departments?ok=department_created');
    assert.equal(await textOf(page.locator('.flash-ok')), zh('admin.flash.department_created'));
    // In the tree: a section below the bureau (the closest shallower row above it is the bureau).
    const tree = await page.locator('[data-testid="department-tree"] tbody tr').evaluateAll((rows) =>
      rows.map((row) => ({
        testid: row.dataset.testid,
        name: row.querySelector('[data-testid^="department-name-"]').textContent.trim(),
        depth: Number(/tree-depth-(\d+)/.exec(row.querySelector('td').className)[1]),
        kind: row.querySelectorAll('td')[1].textContent.trim(),
      })),
    );
    const index = tree.findIndex((d) => d.name === department);
    assert.ok(index >= 0, `the new department ${department} is in the tree`);
    const row = tree[index];
    assert.equal(row.kind, zh('admin.kind.section'));
    const parentRow = tree.slice(0, index).reverse().find((d) => d.depth < row.depth);
    assert.equal(parentRow?.name, PARENT_BUREAU, 'the new section sits under its bureau');
    assert.equal(parentRow.testid, `department-row-${parentId}`);

    // A user in that section; the first password is shown once.
    const firstPassword = await createUser(page, { username, displayName, department });
    assert.equal(pathOf(page), '/admin/users');
    assert.equal(await textOf(page.locator('.flash-ok')), zh('admin.flash.user_created'));
    const userRow = page.locator(`[data-testid="user-row-${username}"]`);
    const userRowText = await textOf(userRow);
    assert.ok(userRowText.includes(displayName), userRowText);
    assert.ok(userRowText.includes(department), userRowText);
    assert.equal(await textOf(page.locator(`[data-testid="roles-of-${username}"]`)), zh('admin.users.no_roles'));
    assert.equal(
      await textOf(page.locator(`[data-testid="status-of-${username}"] [data-testid="status-must-change"]`)),
      zh('admin.users.status_must_change'),
    );
    // Shown once: the list opened again has no password on it.
    await visit(page, '/admin/users');
    assert.equal(await page.locator('[data-testid="one-time-password"]').count(), 0, 'the first password is not shown again');
    assert.equal(await page.getByText(firstPassword).count(), 0);
    await page.locator(`[data-testid="user-row-${username}"]`).waitFor();
    await screenshot(page, 'users.png');
    await logout(page);

    // --- The security administrator grants the role. ---
    await login(page, 'security');
    await visit(page, '/admin/users');
    assert.equal(await page.locator('[data-testid="user-create-form"]').count(), 0, 'security cannot create users');
    await clickAndLoad(page, page.locator(`[data-testid="roles-${username}"]`));
    assert.match(pathOf(page), /^\/admin\/users\/\d+$/);
    assert.equal(await textOf(page.locator('h1')), zh('admin.users.detail_title', { name: displayName }));
    const rolesForm = page.locator('[data-testid="user-roles-form"]');
    await rolesForm.locator('[data-testid="role-staff"]').check();
    await clickAndLoad(page, rolesForm.locator('[data-testid="save-roles"]'));
    assert.equal(pathOf(page), '/admin/users?ok=roles');
    assert.equal(await textOf(page.locator('.flash-ok')), zh('admin.flash.roles_set'));
    assert.equal(await textOf(page.locator(`[data-testid="roles-of-${username}"]`)), zh('role.name.staff'));
    await logout(page);

    // --- The auditor reads the logs. ---
    await login(page, 'auditor');
    await clickAndLoad(page, nav.getByRole('link', { name: zh('nav.audit'), exact: true }));
    assert.equal(pathOf(page), '/audit');
    assert.equal(await textOf(page.locator('h1')), zh('audit.title'));

    await filterLog(page, { action: 'department.create', user: 'admin' });
    assert.equal(new URL(page.url()).searchParams.get('action'), 'department.create');
    const actions = await page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.action));
    assert.ok(actions.length > 0 && actions.every((a) => a === 'department.create'), `filtered rows: ${actions}`);
    const departmentRecord = auditRows(page, `name: ∅ → ${department}`);
    assert.equal(await departmentRecord.count(), 1, 'one department.create record names the new department');
    const departmentRecordText = await textOf(departmentRecord);
    assert.ok(departmentRecordText.includes(zh('audit.action.department.create')), departmentRecordText);
    assert.ok(departmentRecordText.includes(`parent_id: ∅ → ${parentId}`), departmentRecordText);
    assert.equal(await textOf(departmentRecord.locator('td').nth(2)), 'admin');
    assert.equal(await textOf(departmentRecord.locator('[data-outcome]')), zh('audit.success'));

    await filterLog(page, { action: 'user.create', user: 'admin' });
    const userRecord = auditRows(page, `username: ∅ → ${username}`);
    assert.equal(await userRecord.count(), 1, 'one user.create record names the new user');
    const userRecordText = await textOf(userRecord);
    assert.ok(userRecordText.includes(zh('audit.action.user.create')), userRecordText);
    assert.ok(userRecordText.includes(`display_name: ∅ → ${displayName}`), userRecordText);
    assert.equal(await userRecord.getAttribute('data-action'), 'user.create');
    assert.equal(await textOf(userRecord.locator('td').nth(2)), 'admin');

    await filterLog(page, { action: 'user.roles.set', user: 'security' });
    const roleRecords = await page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.innerText));
    assert.ok(roleRecords.some((t) => t.includes('staff')), `the role grant is logged: ${roleRecords}`);

    // The login log shows the administrator's sign-in.
    await clickAndLoad(page, nav.getByRole('link', { name: zh('nav.logins'), exact: true }));
    assert.equal(pathOf(page), '/audit/logins');
    assert.equal(await textOf(page.locator('h1')), zh('audit.logins_title'));
    await filterLog(page, { user: 'admin' });
    const adminLogins = page
      .locator('[data-testid="audit-row"][data-action="auth.login"]')
      .filter({ has: page.locator('[data-outcome="success"]') });
    assert.ok((await adminLogins.count()) >= 1, "admin's successful sign-in is in the login log");
    assert.equal(await textOf(adminLogins.first().locator('td').nth(2)), 'admin');
    assert.ok((await textOf(adminLogins.first())).includes(zh('audit.action.auth.login')));

    // --- Signing out ends the session. ---
    await logout(page);
    assert.equal(await textOf(page.locator('h1')), zh('auth.login_title'));
    await visit(page, '/');
    assert.equal(pathOf(page), '/login', 'after signing out, / redirects to /login');

    assertNoProblems(problems, 'during the admin flow');
  } finally {
    await context.close();
  }
});
