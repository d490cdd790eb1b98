// The battle map (挂图作战): the district leader opens /projects/map from the ledger, sees the
// district drawn on a canvas with the demo's projects as points, the totals beside the map,
// the GCJ-02 note, no console error or CSP violation; clicking a point opens that project.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  TIMEOUT,
  assertNoProblems,
  clickAndLoad,
  login,
  openSession,
  screenshot,
  textOf,
  useDemo,
  visit,
  zh,
} from './helpers.mjs';

const env = useDemo();

test('the leader reads the battle map and opens a project from it', { timeout: TEST_TIMEOUT }, async () => {
  const { context, page, problems } = await openSession(env);
  try {
    await login(page, 'leader');
    await visit(page, '/projects');
    await clickAndLoad(page, page.locator('[data-testid="project-map"]'));
    assert.equal(new URL(page.url()).pathname, '/projects/map');
    assert.equal(await textOf(page.locator('h1')), zh('map.title'));

    // The map draws: a canvas, and the script marks the element ready.
    const map = page.locator('[data-testid="battle-map"]');
    await map.locator('canvas').first().waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.waitForFunction(
      () => document.getElementById('battle-map')?.dataset.ready === 'true',
      null,
      { timeout: TIMEOUT },
    );
    assert.match(await textOf(page.locator('[data-testid="map-note"]')), /GCJ-02/);

    // The totals beside the map: every project of the demo, most of them with coordinates.
    const count = Number(await textOf(page.locator('[data-testid="map-count"]')));
    const located = Number(await textOf(page.locator('[data-testid="map-located"]')));
    const drawn = await page.evaluate(() => {
      const chart = window.echarts.getInstanceByDom(document.getElementById('battle-map'));
      return chart.getOption().series[0].data.length;
    });
    assert.ok(count >= 30, `the demo's projects are counted (got ${count})`);
    assert.ok(located >= 30 && located <= count, `most have coordinates (got ${located} of ${count})`);
    assert.equal(drawn, located, 'every located project is a point on the map');

    // A filter in the URL narrows the map and its totals alike.
    await visit(page, '/projects/map?status=red');
    await page.waitForFunction(() => document.getElementById('battle-map')?.dataset.ready === 'true');
    const red = Number(await textOf(page.locator('[data-testid="map-count"]')));
    assert.ok(red < count, `the red filter shows fewer projects (${red} of ${count})`);
    assert.equal(await page.locator('[data-testid="filter-status"]').inputValue(), 'red');

    // Click a point: the project's page opens.
    await visit(page, '/projects/map');
    await page.waitForFunction(() => document.getElementById('battle-map')?.dataset.ready === 'true');
    await screenshot(page, 'map.png');
    const target = await page.evaluate(() => {
      const element = document.getElementById('battle-map');
      const chart = window.echarts.getInstanceByDom(element);
      const data = chart.getOption().series[0].data;
      const box = element.getBoundingClientRect();
      for (const point of data) {
        const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, point.value);
        if (x > 10 && y > 10 && x < box.width - 10 && y < box.height - 10) {
          return { x: box.left + x, y: box.top + y, id: point.project.id };
        }
      }
      return null;
    });
    assert.ok(target, 'a point lies inside the visible map');
    const navigated = page.waitForURL(/\/projects\/\d+$/, { timeout: TIMEOUT });
    await page.mouse.click(target.x, target.y);
    await navigated;
    assert.match(new URL(page.url()).pathname, /^\/projects\/\d+$/);
    assertNoProblems(problems, 'on the battle map');
  } finally {
    await context.close();
  }
});
