/* Every chart's toolbar gets a second download button, SVG, beside the PNG camera: same file name
   (what, plan, date) and the same slide size. Plotly rebuilds its toolbar on each redraw, so a
   MutationObserver puts the button back. */
(function () {
  "use strict";
  function addSvgButton(gd) {
    var bar = gd.querySelector(".modebar");
    if (!bar || bar.querySelector(".modebar-btn-svg") || !window.Plotly) { return; }
    var group = bar.querySelector(".modebar-group");
    if (!group) { return; }
    var btn = document.createElement("a");
    btn.className = "modebar-btn modebar-btn-svg";
    btn.setAttribute("rel", "tooltip");
    btn.setAttribute("data-title", "Tải ảnh SVG");
    btn.setAttribute("role", "button");
    btn.textContent = "SVG";
    btn.style.cssText = "font: 600 10px sans-serif; padding: 3px 4px; cursor: pointer;";
    btn.addEventListener("click", function () {
      var opts = (gd._context && gd._context.toImageButtonOptions) || {};
      window.Plotly.downloadImage(gd, {
        format: "svg",
        filename: opts.filename || "bieu-do",
        width: opts.width || 1920,
        height: opts.height || 1080
      });
    });
    group.insertBefore(btn, group.firstChild);
  }
  function scan() {
    var plots = document.querySelectorAll(".js-plotly-plot");
    for (var i = 0; i < plots.length; i++) { addSvgButton(plots[i]); }
  }
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
})();
