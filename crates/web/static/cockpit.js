// The cockpit's trend chart: investment reported per month, from the element's
// data-months attribute ([["YYYY-MM", yuan], …]). Yuan become 亿元 floats only here, for drawing.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("cockpit-trend");
    if (!el || typeof echarts === "undefined") return;
    var months = [];
    try {
      months = JSON.parse(el.getAttribute("data-months") || "[]");
    } catch (e) {
      months = [];
    }
    if (months.length === 0) {
      el.textContent = el.getAttribute("data-empty") || "";
      el.classList.add("muted");
      return;
    }
    var unit = el.getAttribute("data-unit") || "";
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 60, right: 20, top: 30, bottom: 40 },
      xAxis: { type: "category", data: months.map(function (m) { return m[0]; }) },
      yAxis: { type: "value", name: unit },
      series: [{
        name: el.getAttribute("data-series") || "",
        type: "bar",
        data: months.map(function (m) { return Math.round(m[1] / 1e6) / 100; })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
