/* Every chart's toolbar gets two download buttons, PNG and SVG, in place of Plotly's camera: the image is
   made for a slide. The chart is drawn again at 960 px wide and doubled (1920 px), so its text is twice its
   size on screen, under a title (what, at least 40 px) and a line naming the plan and the "as of" date
   (both from the figure's layout.meta, set by layouts/widgets.graph). Plotly rebuilds its toolbar on each
   redraw, so a MutationObserver puts the buttons back. */
(function () {
  "use strict";
  var SLIDE_WIDTH = 960;  // CSS pixels; the file is twice that
  var SCALE = 2;
  var TITLE_PX = 22;  // 44 px in the file
  var LABELS = {
    vi: {png: "Tải ảnh PNG khổ trình chiếu", svg: "Tải ảnh SVG khổ trình chiếu"},
    en: {png: "Download a slide-size PNG", svg: "Download a slide-size SVG"}
  };

  function esc(text) {
    return String(text || "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function slideFigure(gd) {
    var layout = JSON.parse(JSON.stringify(gd.layout || {}));
    var meta = layout.meta || {};
    var height = Math.max(540, Math.min(layout.height || 540, 4000));
    var margin = layout.margin || {};
    var top = (margin.t || 40) + 80;
    layout.title = {
      text: "<b>" + esc(meta.title) + "</b>",
      subtitle: {text: esc(meta.subtitle), font: {size: 13}},
      font: {size: TITLE_PX},
      x: 0.01, xanchor: "left", xref: "paper",
      y: 1, yanchor: "top", yref: "container", pad: {t: 14}
    };
    layout.margin = Object.assign({}, margin, {t: top});
    layout.height = height + 80;
    layout.width = SLIDE_WIDTH;
    layout.paper_bgcolor = "#ffffff";
    return {data: JSON.parse(JSON.stringify(gd.data || [])), layout: layout, height: height + 80};
  }

  function download(gd, format) {
    var opts = (gd._context && gd._context.toImageButtonOptions) || {};
    var fig = slideFigure(gd);
    window.Plotly.toImage({data: fig.data, layout: fig.layout}, {
      format: format, width: SLIDE_WIDTH, height: fig.height, scale: SCALE
    }).then(function (url) {
      var link = document.createElement("a");
      link.href = url;
      link.download = (opts.filename || "bieu-do") + "." + format;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  function button(gd, format, lang) {
    var btn = document.createElement("a");
    btn.className = "modebar-btn modebar-btn-slide modebar-btn-" + format;
    btn.setAttribute("rel", "tooltip");
    btn.setAttribute("data-title", LABELS[lang][format]);
    btn.setAttribute("role", "button");
    btn.textContent = format.toUpperCase();
    btn.style.cssText = "font: 600 10px sans-serif; padding: 3px 4px; cursor: pointer;";
    btn.addEventListener("click", function () { download(gd, format); });
    return btn;
  }

  function addButtons(gd) {
    var bar = gd.querySelector(".modebar");
    if (!bar || bar.querySelector(".modebar-btn-slide") || !window.Plotly) { return; }
    var group = bar.querySelector(".modebar-group");
    if (!group) { return; }
    var lang = gd._context && gd._context.locale === "en" ? "en" : "vi";
    group.insertBefore(button(gd, "svg", lang), group.firstChild);
    group.insertBefore(button(gd, "png", lang), group.firstChild);
  }

  function scan() {
    var plots = document.querySelectorAll(".js-plotly-plot");
    for (var i = 0; i < plots.length; i++) { addButtons(plots[i]); }
  }
  new MutationObserver(scan).observe(document.documentElement, {childList: true, subtree: true});
})();
