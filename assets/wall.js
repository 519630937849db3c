/* Wall screen: rotation, clock and staleness run here, in the browser, so they go on when the server
   or the network does not. The screen heals itself: when the server answers again after the data went
   stale, or the web code changed, the page reloads. */
(function () {
  "use strict";
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var hm = function (d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); };

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    wall: {
      rotate: function (n, cfg) {
        var views = (cfg && cfg.views) || [];
        var count = views.length || 1;
        // A view holding pages (the red flags) stays on screen for one tick per page: every flag is shown
        // within one rotation, however many there are.
        var steps = [];
        for (var v = 0; v < count; v++) {
          var pages = document.querySelectorAll("#wall-view-" + v + " .wall-flag-page");
          for (var p = 0; p < Math.max(1, pages.length); p++) { steps.push([v, p]); }
        }
        var step = steps[(n || 0) % steps.length] || [0, 0];
        var active = step[0];
        document.querySelectorAll("#wall-view-" + active + " .wall-flag-page").forEach(function (el, i) {
          el.classList.toggle("wall-hidden", i !== step[1]);
        });
        var classes = [];
        var dots = [];
        for (var i = 0; i < count; i++) {
          classes.push(i === active ? "wall-view" : "wall-view wall-hidden");
          dots.push(i === active ? "●" : "○");
        }
        return classes.concat([views[active] || "", dots.join(" ")]);
      },
      clock: function (n, meta, cfg) {
        var now = new Date();
        var clock = pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds()) +
          "  " + pad(now.getDate()) + "/" + pad(now.getMonth() + 1) + "/" + now.getFullYear();
        var fetched = meta && meta.fetched_at;
        window.__wallLastRefresh = fetched || 0;
        window.__wallRefreshMs = (cfg && cfg.refresh_ms) || 300000;
        if (!fetched) { return [clock, "", "", "wall-stale wall-hidden"]; }
        // The age shown is the data's own (the last good pull of its sources), never this screen's fetch:
        // a screen that fetches every 5 minutes from sources that stopped a day ago is a day old.
        var at = meta.data_at || fetched;
        var refreshed = new Date(at);
        var when = hm(refreshed) + " " + pad(refreshed.getDate()) + "/" + pad(refreshed.getMonth() + 1);
        var label = (cfg && cfg.refreshed_label) || "";
        var offline = now.getTime() - fetched > 2 * window.__wallRefreshMs + 5000;
        var behind = meta.stale && meta.stale.length > 0;
        var stale = offline || behind;
        var text = stale ? ((cfg && cfg.stale_text) || "").replace("{time}", when) +
          (behind ? " · " + meta.stale.join(", ") : "") : "";
        return [clock, label + " " + when, text, stale ? "wall-stale" : "wall-stale wall-hidden"];
      }
    }
  });

  // The wall is laid out on a 1920×1080 canvas (assets/wall.css) and scaled as a whole to the screen, text
  // and charts alike: twice the size on a 4K TV, letterboxed on a screen of another shape.
  function fit() {
    var scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    var style = document.documentElement.style;
    style.setProperty("--wall-scale", String(scale));
    style.setProperty("--wall-left", (window.innerWidth - 1920 * scale) / 2 + "px");
    style.setProperty("--wall-top", (window.innerHeight - 1080 * scale) / 2 + "px");
  }
  fit();
  window.addEventListener("resize", fit);

  var bootVersion = null;
  function check() {
    if (location.pathname.replace(/\/$/, "") !== "/wall") { return; }
    fetch("/healthz", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (j) {
      if (j.status !== "ok") { return; }
      if (bootVersion === null) { bootVersion = j.version; }
      var root = document.getElementById("wall-root");
      var last = window.__wallLastRefresh || 0;
      var stale = last && Date.now() - last > 3 * (window.__wallRefreshMs || 300000) + 60000;
      if (!root || stale || j.version !== bootVersion) { location.reload(); }
    }).catch(function () { /* offline: keep showing the last data */ });
  }
  setInterval(check, 60000);
})();
