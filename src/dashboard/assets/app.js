/* global window, document */
// The dashboard's only script (served from /dashboard/static; the CSP forbids inline code). Progressive: every page
// works without it; it adds charts, auto-refresh, sortable tables and delete confirmations.
(function () {
  "use strict";

  function drawCharts() {
    if (typeof window.uPlot !== "function") return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = JSON.parse(el.getAttribute("data-chart") || "{}");
      var series = [{}].concat(
        spec.series.map(function (s) {
          return { label: s.label, stroke: s.color, width: 2, points: { show: spec.x.length < 3 } };
        }),
      );
      var data = [spec.x].concat(
        spec.series.map(function (s) {
          return s.values;
        }),
      );
      var width = function () {
        return Math.max(260, el.clientWidth);
      };
      var plot = new window.uPlot(
        {
          width: width(),
          height: 200,
          series: series,
          // The whole window on the x axis (one point alone would make uPlot invent a range of years).
          scales: {
            x: {
              time: true,
              range: function () {
                return spec.range;
              },
            },
          },
          axes: [
            {},
            {
              // Wide enough for the longest label (small costs such as 0.000015 were cut at a fixed 60 px).
              size: function (u, vals) {
                var longest = (vals || []).reduce(function (n, v) {
                  return Math.max(n, String(v).length);
                }, 0);
                return Math.max(50, longest * 7 + 22);
              },
              values: function (u, vals) {
                return vals.map(function (v) {
                  return +v.toPrecision(3);
                });
              },
            },
          ],
          legend: { live: false },
        },
        data,
        el,
      );
      window.addEventListener("resize", function () {
        plot.setSize({ width: width(), height: 200 });
      });
    });
  }

  var REFRESH_KEY = "dashboard.autorefresh";
  function autoRefresh() {
    var box = document.getElementById("autorefresh");
    if (!box) return;
    var timer = null;
    var apply = function () {
      sessionStorage.setItem(REFRESH_KEY, box.checked ? "1" : "0");
      if (timer) clearTimeout(timer);
      if (box.checked)
        timer = setTimeout(function () {
          location.reload();
        }, 15000);
    };
    box.checked = sessionStorage.getItem(REFRESH_KEY) === "1";
    box.addEventListener("change", apply);
    apply();
  }

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var raw = cell.getAttribute("data-value");
    if (raw !== null && raw !== "" && !isNaN(Number(raw))) return Number(raw);
    return (raw !== null ? raw : cell.textContent || "").trim().toLowerCase();
  }

  function sortTable(table, index, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index),
        y = cellValue(b, index);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
  }

  function sortableTables() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          sortTable(table, index, th);
        });
      });
    });
  }

  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  // Waterfall bars are placed from data attributes (the CSP allows no style attribute; CSSOM writes are fine).
  function placeBars() {
    document.querySelectorAll(".wf-bar[data-left]").forEach(function (bar) {
      bar.style.left = bar.getAttribute("data-left") + "%";
      bar.style.width = bar.getAttribute("data-width") + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    placeBars();
    drawCharts();
    autoRefresh();
    sortableTables();
    confirmations();
  });
})();
