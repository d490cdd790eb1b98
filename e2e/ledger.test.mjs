// The key-project ledger kept in the browser, as the district office keeps it:
// 1. filter the ledger, open a project, edit it, and see the change on the battle map and, as
//    the auditor, in the audit log;
// 2. import an office-saved file with one bad row, read the report, apply the good rows;
// 3. export the ledger and import the exported file again: nothing changes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  TEST_TIMEOUT,
  TIMEOUT,
  assertNoProblems,
  clickAndLoad,
  login,
  openSession,
  pathOf,
  screenshot,
  selectByText,
  textOf,
  useDemo,
  visit,
  zh,
} from './helpers.mjs';

const env = useDemo();
const NEW_PROJECTS = join(ROOT, 'e2e', 'fixtures', 'new-projects.xlsx');

/** Waits for the battle map's script to finish drawing, then returns what it drew. */
async function drawnPoints(page) {
  await page.waitForFunction(() => document.getElementById('battle-map')?.dataset.ready === 'true', null, {
    timeout: TIMEOUT,
  });
  return page.evaluate(() => {
    const chart = window.echarts.getInstanceByDom(document.getElementById('battle-map'));
    return chart.getOption().series[0].data.map((point) => point.project);
  });
}

/** Uploads `file` on the import page for a preview; returns the report's rows as text. */
async function preview(page, file) {
  await visit(page, '/projects/import');
  await page.locator('[data-testid="import-file"]').setInputFiles(file);
  await page.locator('[data-testid="import-upload"] button[type="submit"]').click();
  await page.locator('[data-testid="import-counts"]').waitFor({ timeout: TIMEOUT });
  return page.locator('[data-testid="import-row"]').evaluateAll((rows) =>
    rows.map((row) => row.innerText.replace(/\s+/g, ' ').trim()),
  );
}

/** The four counts of an import report: created, updated, unchanged, rejected. */
async function counts(page) {
  const text = await textOf(page.locator('[data-testid="import-counts"]'));
  const numbers = [...text.matchAll(/\d+/g)].map((m) => Number(m[0]));
  assert.equal(numbers.length, 4, `four counts in "${text}"`);
  return { created: numbers[0], updated: numbers[1], unchanged: numbers[2], rejected: numbers[3] };
}

test('the office filters the ledger, edits a project, and sees it on the map and in the audit log', {
  timeout: TEST_TIMEOUT,
}, async () => {
  const office = await openSession(env);
  const auditor = await openSession(env);
  try {
    const { page } = office;
    await login(page, 'office');
    await visit(page, '/projects');
    const all = Number((await textOf(page.locator('[data-testid="project-summary"]'))).match(/\d+/)[0]);

    // Filter: the medical center's projects whose name has 医院. The filters land in the URL.
    const filter = page.locator('[data-testid="project-filter"]');
    await selectByText(filter.locator('[data-testid="filter-platform"]'), '济南国际医学科学中心');
    await filter.locator('[data-testid="filter-q"]').fill('医院');
    await clickAndLoad(page, filter.locator('[data-testid="filter-apply"]'));
    assert.match(pathOf(page), /q=%E5%8C%BB%E9%99%A2|q=医院/);
    const rows = page.locator('[data-testid="project-row"]');
    const names = await rows.locator('td:nth-child(2) a').allInnerTexts();
    assert.ok(names.length >= 1 && names.length < all, `the filter narrows the ledger (${names.length} of ${all})`);
    for (const name of names) assert.match(name, /医院/);

    // Open the first project and edit its name and address.
    await clickAndLoad(page, rows.first().locator('td:nth-child(2) a'));
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const before = await textOf(page.locator('[data-testid="project-name"]'));
    await clickAndLoad(page, page.locator('[data-testid="project-edit"]'));
    const form = page.locator('[data-testid="project-form"]');
    const renamed = `${before.replace(/\s*示例$/, '')}（浏览器测试）`;
    await form.locator('[data-testid="field-name"]').fill(renamed);
    await form.locator('[data-testid="field-address"]').fill('济南市槐荫区经十西路（测试地址）');
    await clickAndLoad(page, form.locator('[data-testid="project-save"]'));
    assert.equal(pathOf(page), `/projects/${id}`);
    assert.equal((await textOf(page.locator('[data-testid="project-name"]'))).replace(/\s*示例$/, ''), renamed);
    assert.match(await textOf(page.locator('[data-testid="project-facts"]')), /经十西路（测试地址）/);

    // The battle map shows the new name for the same point.
    await visit(page, `/projects/map?q=${encodeURIComponent('浏览器测试')}`);
    const points = await drawnPoints(page);
    assert.deepEqual(points.map((p) => [p.id, p.name]), [[id, renamed]], 'the map draws the renamed project');
    assert.equal(Number(await textOf(page.locator('[data-testid="map-count"]'))), 1);
    await screenshot(page, 'ledger-map-after-edit.png');

    // The auditor finds the change, with who made it, in the audit log.
    await login(auditor.page, 'auditor');
    await visit(auditor.page, '/audit?action=project.update&object=project');
    const entries = await auditor.page.locator('[data-testid="audit-row"]').allInnerTexts();
    const entry = entries.find((text) => text.includes(`#${id}`));
    assert.ok(entry, `an audit row for project #${id} among:\n${entries.join('\n')}`);
    assert.match(entry, /office/);
    assert.ok(entry.includes(renamed), `the row shows the new name: ${entry}`);
    assertNoProblems(office.problems, 'while the office edited the ledger');
    assertNoProblems(auditor.problems, 'in the audit log');
  } finally {
    await office.context.close();
    await auditor.context.close();
  }
});

test('the office imports a file with one bad row, reads the report, and applies the good rows', {
  timeout: TEST_TIMEOUT,
}, async () => {
  const { context, page, problems } = await openSession(env);
  try {
    await login(page, 'office');
    const report = await preview(page, NEW_PROJECTS);
    assert.equal(await textOf(page.locator('h2')), zh('project.import.previewed'));
    assert.deepEqual(await counts(page), { created: 2, updated: 0, unchanged: 0, rejected: 1 });
    const rejected = report.find((row) => row.includes(zh('project.import.rejected')));
    assert.ok(rejected, `a rejected row in:\n${report.join('\n')}`);
    assert.match(rejected, /槐荫冷链物流基地/);
    assert.match(rejected, /I5/, 'the reason names the cell');
    assert.match(rejected, /2020\.13\.1/, 'the reason quotes what was typed');
    await screenshot(page, 'import-preview.png');

    // Nothing is written by the preview.
    await visit(page, `/projects?q=${encodeURIComponent('（测试）')}`);
    assert.equal(await page.locator('[data-testid="project-row"]').count(), 0);

    // Apply: choose the file again and confirm; the two good rows are created.
    await preview(page, NEW_PROJECTS);
    const apply = page.locator('[data-testid="import-apply"]');
    await apply.locator('input[type="file"]').setInputFiles(NEW_PROJECTS);
    await apply.locator('button[type="submit"]').click();
    await page.locator('h2', { hasText: zh('project.import.applied') }).waitFor({ timeout: TIMEOUT });
    assert.deepEqual(await counts(page), { created: 2, updated: 0, unchanged: 0, rejected: 1 });
    await visit(page, `/projects?q=${encodeURIComponent('（测试）')}`);
    const names = await page.locator('[data-testid="project-row"] td:nth-child(2) a').allInnerTexts();
    assert.deepEqual(names.sort(), ['槐荫数字医疗创新中心（测试）', '槐荫智能传感器产业园（测试）']);
    assertNoProblems(problems, 'while importing');
  } finally {
    await context.close();
  }
});

test('an exported ledger imports back unchanged', { timeout: TEST_TIMEOUT }, async () => {
  const { context, page, problems } = await openSession(env);
  const folder = mkdtempSync(join(tmpdir(), 'districtops-export-'));
  try {
    await login(page, 'office');
    await visit(page, '/projects');
    const all = Number((await textOf(page.locator('[data-testid="project-summary"]'))).match(/\d+/)[0]);
    const downloading = page.waitForEvent('download', { timeout: TIMEOUT });
    await page.locator('[data-testid="project-export"]').click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const file = join(folder, download.suggestedFilename());
    await download.saveAs(file);

    await preview(page, file);
    assert.deepEqual(await counts(page), { created: 0, updated: 0, unchanged: all, rejected: 0 });
    assertNoProblems(problems, 'while exporting and importing');
  } finally {
    await context.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
