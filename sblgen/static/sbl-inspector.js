/*! sblgen offline inspector: stands in for FastSpring's Store Builder Library during
 * `sblgen site serve --offline`. It calls nothing on the network; it shows, in a panel on the
 * page, exactly what the page hands the SBL: window.fscSession at load, every
 * fastspring.builder.* call, and test-mode secure payloads decoded.
 */
(function () {
  "use strict";
  var w = window, d = document;
  var record = (w.__sbl = { loaded: true, calls: [], data: {},
    initial: w.fscSession === undefined ? null : JSON.parse(JSON.stringify(w.fscSession)) });
  var tag = d.getElementById("fsc-api");
  if (tag) {
    for (var i = 0; i < tag.attributes.length; i++) {
      var a = tag.attributes[i];
      if (a.name.indexOf("data-") === 0) record.data[a.name] = a.value;
    }
  }
  var panel, list;
  function describeSecure(secure) {
    if (!secure) return null;
    if (secure.key === "" && typeof secure.payload === "object") {
      return { "test-mode payload (decoded)": secure.payload };
    }
    return { "encrypted payload": String(secure.payload).length + " base64 chars",
             "wrapped key": String(secure.key).length + " base64 chars" };
  }
  function entry(title, value) {
    if (!panel) return;
    var item = d.createElement("li");
    var h = d.createElement("strong");
    h.textContent = title;
    var pre = d.createElement("pre");
    pre.textContent = JSON.stringify(value, null, 2);
    pre.setAttribute("style", "white-space:pre-wrap;word-break:break-all;margin:4px 0 8px");
    item.appendChild(h);
    item.appendChild(pre);
    list.appendChild(item);
  }
  function build() {
    panel = d.createElement("aside");
    panel.id = "sblgen-inspector";
    panel.setAttribute("style", "position:fixed;right:12px;bottom:12px;width:380px;max-height:60vh;" +
      "overflow:auto;background:#101522;color:#e8ecf4;font:12px/1.4 monospace;padding:10px;" +
      "border-radius:10px;box-shadow:0 4px 20px #0006;z-index:2147483647");
    var title = d.createElement("div");
    title.textContent = "sblgen inspector (offline: nothing is sent to FastSpring)";
    title.setAttribute("style", "font-weight:bold;margin-bottom:6px");
    list = d.createElement("ol");
    list.setAttribute("style", "margin:0;padding-left:18px");
    panel.appendChild(title);
    panel.appendChild(list);
    d.body.appendChild(panel);
    entry("script tag data-*", record.data);
    if (record.initial) {
      var shown = JSON.parse(JSON.stringify(record.initial));
      if (shown.secure) shown.secure = describeSecure(shown.secure);
      entry("fscSession at load", shown);
    } else {
      entry("fscSession at load", "(none)");
    }
    record.calls.forEach(function (c) { entry("fastspring.builder." + c.name, c.args); });
  }
  var builder = {};
  ["push", "secure", "add", "update", "remove", "promo", "reset", "clean", "checkout",
   "viewCart", "payment", "country", "language", "postalCode", "taxId", "tag", "recognize",
   "recognizeRecipients", "authenticate"].forEach(function (name) {
    builder[name] = function () {
      var args = JSON.parse(JSON.stringify(Array.prototype.slice.call(arguments)));
      if (name === "secure") args = describeSecure({ payload: args[0], key: args[1] });
      if (name === "push" && args[0] && args[0].secure) args[0].secure = describeSecure(args[0].secure);
      record.calls.push({ name: name, args: args });
      entry("fastspring.builder." + name, args);
    };
  });
  w.fastspring = { builder: builder };
  d.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-fsc-action]") : null;
    if (el) {
      entry("markup action " + el.getAttribute("data-fsc-action"),
            { product: el.getAttribute("data-fsc-item-path-value") });
    }
  });
  if (d.body) build(); else d.addEventListener("DOMContentLoaded", build);
})();
