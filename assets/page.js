/* Small browser-side steps of the pages (no round trip to the server). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  page: {
    toggle: function (n, open) { return !open; }
  }
});
