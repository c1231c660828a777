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
      var categorical = !!data.categorical;
      var name = function (v) {
        if (v == null) return "";
        return categorical ? (data.labels[Math.round(v)] || "") : day(v);
      };
      var series = [{ label: data.xlabel || "", value: function (u, v) { return name(v); } }];
      var columns = [data.x];
      data.series.forEach(function (s, i) {
        var colour = COLOURS[i % COLOURS.length];
        var one = { label: s.label, stroke: colour, width: 2, points: { size: 6 } };
        if (categorical && uPlot.paths && uPlot.paths.bars) {
          one.paths = uPlot.paths.bars({ size: [0.6, 60] });
          one.fill = colour;
          one.points = { show: false };
        } else if (i === 0) {
          one.fill = "rgba(31,111,235,0.08)";
        }
        series.push(one);
        columns.push(s.values);
      });
      var width = Math.max(280, Math.min(box.clientWidth || 600, 900));
      var xAxis = { values: function (u, vals) { return vals.map(name); },
                    splits: function () { return data.x; } };
      if (categorical) {
        xAxis.rotate = -30;
        xAxis.size = 110;
      }
      new uPlot({
        width: width, height: categorical ? 320 : 220, series: series,
        scales: { x: { time: false, range: categorical ? [-0.5, data.x.length - 0.5] : undefined } },
        axes: [xAxis, {}],
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
