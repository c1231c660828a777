/* nocert web console: charts from the JSON the server embeds, self-refreshing panels, confirmations.
   No inline script (the Content-Security-Policy forbids it); uPlot is vendored in ./vendor. */
(function () {
  "use strict";
  var COLOURS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df"];

  function day(seconds) {
    var d = new Date(seconds * 1000);
    var m = String(d.getUTCMonth() + 1).padStart(2, "0");
    var dd = String(d.getUTCDate()).padStart(2, "0");
    return m + "-" + dd;
  }

  function drawCharts(root) {
    if (typeof uPlot === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-chart"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      box.textContent = "";
      var series = [{ label: "", value: function (u, v) { return v == null ? "" : day(v); } }];
      var columns = [data.x];
      data.series.forEach(function (s, i) {
        series.push({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2,
                      fill: i === 0 ? "rgba(31,111,235,0.08)" : undefined, points: { size: 6 } });
        columns.push(s.values);
      });
      var width = Math.max(280, Math.min(box.clientWidth || 600, 900));
      new uPlot({
        width: width, height: 220, series: series,
        scales: { x: { time: false } },
        axes: [{ values: function (u, vals) { return vals.map(day); } }, {}],
      }, columns, box);
    });
  }

  function refreshing(root) {
    root.querySelectorAll("[data-refresh]").forEach(function (panel) {
      var seconds = parseInt(panel.getAttribute("data-refresh"), 10) || 60;
      setTimeout(function again() {
        fetch(window.location.href, { headers: { "X-Partial": "1" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
          .then(function (html) {
            var holder = document.createElement("div");
            holder.innerHTML = html;
            var fresh = holder.querySelector("#" + panel.id);
            if (fresh) { panel.replaceWith(fresh); drawCharts(fresh); refreshing(fresh.parentNode); }
          })
          .catch(function () { setTimeout(again, seconds * 1000); });
      }, seconds * 1000);
    });
  }

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  drawCharts(document);
  refreshing(document);
})();
