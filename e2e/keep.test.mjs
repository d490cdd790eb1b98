// Keeping a project from its page with htmx: the office opens a project, adds a milestone with
// no name and reads the Chinese message beside the field (the page does not reload), fixes
// it and sees the milestone in the list; reports a month's progress and sees the completed
// investment in the facts change; no console error or CSP violation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  clickAndLoad,
  login,
  openSession,
  textOf,
  useDemo,
  visit,
  zh,
} from './helpers.mjs';

const env = useDemo();

test('the office keeps milestones and progress inline on the project page', { timeout: TEST_TIMEOUT }, async () => {
  const { context, page, problems } = await openSession(env);
  try {
    await login(page, 'office');
    // A project under construction: its investment is not yet complete.
    await visit(page, '/projects?stage=under_construction');
    await clickAndLoad(page, page.locator('[data-testid="project-row"] td:nth-child(2) a').first());
    // A marker on the window: it survives htmx swaps, not a page load.
    await page.evaluate(() => { window.__samePage = true; });

    const milestones = page.locator('#project-milestones');
    const rowsBefore = await milestones.locator('[data-testid="milestone-row"]').count();
    await milestones.locator('[data-testid="milestone-add-open"]').click();
    const add = milestones.locator('[data-testid="milestone-add"]');
    await add.locator('[data-testid="milestone-planned"]').fill('2030-06-30');
    await add.locator('[data-testid="milestone-owner"]').fill('张工');
    await add.locator('button[type="submit"]').click();
    const error = page.locator('#project-milestones [data-testid="error-name"]');
    await error.waitFor();
    assert.equal(await textOf(error), zh('validation.required'));
    assert.equal(await page.locator('#project-milestones [data-testid="milestone-owner"]').last().inputValue(), '张工');
    assert.equal(await page.evaluate(() => window.__samePage), true, 'the refusal was swapped in, not loaded');

    const fixed = page.locator('#project-milestones [data-testid="milestone-add"]');
    await fixed.locator('[data-testid="milestone-name"]').fill('浏览器测试里程碑');
    await fixed.locator('button[type="submit"]').click();
    await page.locator('#project-milestones [data-testid="milestone-row"]', { hasText: '浏览器测试里程碑' }).waitFor();
    assert.equal(await page.locator('#project-milestones [data-testid="milestone-row"]').count(), rowsBefore + 1);
    assert.equal(await page.evaluate(() => window.__samePage), true, 'saved without leaving the page');

    // A month's progress moves the completed investment shown in the facts.
    const completedBefore = await textOf(page.locator('[data-testid="project-completed"]'));
    const progress = page.locator('#project-progress');
    await progress.locator('summary').click();
    await progress.locator('[data-testid="progress-period"]').fill('2030-01');
    await progress.locator('[data-testid="progress-invested"]').fill('1');
    await progress.locator('[data-testid="progress-percent"]').fill('50');
    await progress.locator('[data-testid="progress-save"]').click();
    await page.locator('#project-progress [data-testid="progress-row"]', { hasText: '2030-01' }).waitFor();
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="project-completed"]').innerText.trim() !== before,
      completedBefore,
    );
    assert.equal(await page.evaluate(() => window.__samePage), true);
    // Chromium logs every 4xx answer to a request; the refused form's 422 is the expected one.
    const refusal = /status of 422 .*\/milestones\)$/;
    assertNoProblems(problems.filter((p) => !refusal.test(p)), 'while keeping the project page');
  } finally {
    await context.close();
  }
});
