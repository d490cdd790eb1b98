// The battle map (挂图作战) of /projects/map: the district's outline (with Jinan's other
// districts faintly around the built-in one) registered with ECharts, the projects as points
// coloured by status, a tooltip with name, stage and investment, and a click that opens the
// project. Everything it draws comes from the page's data- attributes and /static/vendor/:
// no request leaves the server, and no inline script or style (the CSP forbids them).
"use strict";

(() => {
  const COLOURS = { red: "#c62828", yellow: "#e0a800", green: "#1a7f37" };
  const UNKNOWN = "#9e9e9e";

  function parse(text, fallback) {
    try {
      return JSON.parse(text);
    } catch {
      return fallback;
    }
  }

  /** Every [lng, lat] pair of a geometry, however deep its nesting. */
  function eachPoint(coordinates, visit) {
    if (!Array.isArray(coordinates)) return;
    if (typeof coordinates[0] === "number") {
      visit(coordinates);
      return;
    }
    for (const inner of coordinates) eachPoint(inner, visit);
  }

  /** The features of a FeatureCollection, a Feature or a bare geometry. */
  function featuresOf(geojson) {
    if (!geojson) return [];
    if (geojson.type === "FeatureCollection") return geojson.features || [];
    if (geojson.type === "Feature") return [geojson];
    return [{ type: "Feature", properties: {}, geometry: geojson }];
  }

  /** [[west, north], [east, south]] around the features, for the map's view. */
  function bounds(features) {
    let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const feature of features) {
      eachPoint(feature.geometry && feature.geometry.coordinates, ([lng, lat]) => {
        west = Math.min(west, lng);
        east = Math.max(east, lng);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      });
    }
    if (!Number.isFinite(west)) return null;
    const padX = (east - west) * 0.04;
    const padY = (north - south) * 0.04;
    return [[west - padX, north + padY], [east + padX, south - padY]];
  }

  function wan(yuan) {
    return (Number(yuan) / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 4 });
  }

  async function fetchJson(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }

  async function draw(element) {
    const data = element.dataset;
    const points = parse(data.points, []);
    const stages = parse(data.stages, {});
    const [district, city] = await Promise.all([
      fetchJson(data.district),
      data.city ? fetchJson(data.city) : Promise.resolve(null),
    ]);
    const own = featuresOf(district).map((feature, index) => {
      const properties = { ...(feature.properties || {}) };
      if (!properties.name) properties.name = `district-${index}`;
      return { ...feature, properties };
    });
    const ownNames = new Set(own.map((f) => f.properties.name));
    const neighbours = featuresOf(city).filter((f) => !ownNames.has(f.properties && f.properties.name));
    window.echarts.registerMap("districtops-map", {
      type: "FeatureCollection",
      features: [...neighbours, ...own],
    });

    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    const encode = window.echarts.format.encodeHTML;
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: (item) => {
          if (item.seriesType !== "scatter") return encode(item.name || "");
          const p = item.data.project;
          return [
            `<strong>${encode(p.name)}</strong>`,
            `${encode(data.labelStage)}：${encode(stages[p.stage] || p.stage)}`,
            `${encode(data.labelTotal)}：${wan(p.total_investment_yuan)}`,
            `${encode(data.labelCompleted)}：${wan(p.completed_investment_yuan)}`,
          ].join("<br>");
        },
      },
      geo: {
        map: "districtops-map",
        roam: true,
        boundingCoords: bounds(own),
        label: { show: false },
        itemStyle: { areaColor: "#f4f5f7", borderColor: "#c9ccd1", borderWidth: 0.6 },
        emphasis: { disabled: true },
        select: { disabled: true },
        tooltip: { show: false },
        regions: own.map((f) => ({
          name: f.properties.name,
          itemStyle: { areaColor: "#fff7f0", borderColor: "#b5121b", borderWidth: 2 },
          label: { show: true, color: "#8c0d14", fontSize: 14 },
        })),
      },
      series: [
        {
          type: "scatter",
          coordinateSystem: "geo",
          symbolSize: 12,
          itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
          emphasis: { scale: 1.5 },
          data: points.map((p) => ({
            name: p.name,
            value: [p.lng, p.lat],
            project: p,
            itemStyle: { color: COLOURS[p.colour] || UNKNOWN },
          })),
        },
      ],
    });
    chart.on("click", (item) => {
      if (item.seriesType === "scatter" && item.data && item.data.project) {
        window.location.href = `/projects/${encodeURIComponent(item.data.project.id)}`;
      }
    });
    window.addEventListener("resize", () => chart.resize());
    element.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", () => {
    const element = document.getElementById("battle-map");
    if (!element || !window.echarts) return;
    draw(element).catch((error) => {
      element.textContent = element.dataset.labelFailed || "";
      element.dataset.ready = "failed";
      console.warn("battle map:", error);
    });
  });
})();
