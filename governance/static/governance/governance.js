/* Governance pages: trend charts (Chart.js, served locally) and the print button.
   No inline scripts: the content security policy forbids them. Chart data comes from
   <script type="application/json"> elements (Django's json_script), which never execute. */
(function () {
  "use strict";
  function draw(canvas, source) {
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {type: "line", data: data, options: {animation: false}});
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    draw(canvas, document.getElementById(canvas.getAttribute("data-chart")));
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
