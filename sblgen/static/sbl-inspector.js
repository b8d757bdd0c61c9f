/*! sblgen offline inspector: stands in for FastSpring's Store Builder Library during
 * `sblgen site serve --offline`. It calls nothing on the network; it shows, in a panel beside
 * the page, exactly what the page hands the SBL: window.fscSession at load, every
 * fastspring.builder.* call, and test-mode secure payloads decoded.
 *
 * The panel never covers the page: open, it is docked to the right (to the bottom on narrow
 * screens) and the page makes room for it; closed, only a small toggle remains, with room
 * kept for it below the page. It starts open on wide screens and closed on phones, and
 * remembers the choice for the browser tab.
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
  var WIDE = "(min-width: 900px)", KEY = "sblgen-inspector";
  var CSS =
    "#sblgen-inspector{position:fixed;z-index:2147483647;background:#101522;color:#e8ecf4;" +
    "font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;display:none;flex-direction:column;" +
    "box-shadow:0 0 24px #0005}" +
    "html.sblgen-open #sblgen-inspector{display:flex}" +
    "html.sblgen-open.sblgen-side #sblgen-inspector{top:0;right:0;bottom:0;width:360px}" +
    "html.sblgen-open.sblgen-side body{padding-right:360px}" +
    "html.sblgen-open.sblgen-bottom #sblgen-inspector{left:0;right:0;bottom:0;height:50vh;" +
    "border-radius:12px 12px 0 0}" +
    "html.sblgen-open.sblgen-bottom body{padding-bottom:50vh}" +
    "html:not(.sblgen-open) body{padding-bottom:56px}" +
    "#sblgen-inspector .sblgen-head{display:flex;align-items:flex-start;gap:8px;padding:10px 12px;" +
    "border-bottom:1px solid #2a3247}" +
    "#sblgen-inspector .sblgen-title{flex:1;font-weight:bold}" +
    "#sblgen-inspector .sblgen-title small{display:block;font-weight:normal;color:#9aa3b8}" +
    "#sblgen-inspector ol{margin:0;padding:8px 12px 12px 32px;overflow:auto;flex:1}" +
    "#sblgen-inspector li{margin-bottom:6px}" +
    "#sblgen-inspector pre{white-space:pre-wrap;word-break:break-all;margin:4px 0 8px;color:#c9d3ea}" +
    "#sblgen-inspector button,#sblgen-inspector-toggle{font:600 12px/1 system-ui,sans-serif;" +
    "cursor:pointer;border:0;border-radius:999px}" +
    "#sblgen-inspector .sblgen-close{background:#2a3247;color:#e8ecf4;padding:6px 10px}" +
    "#sblgen-inspector-toggle{position:fixed;right:12px;bottom:12px;z-index:2147483647;" +
    "background:#101522;color:#e8ecf4;padding:10px 14px;box-shadow:0 2px 10px #0004}" +
    "html.sblgen-open #sblgen-inspector-toggle{display:none}" +
    "#sblgen-inspector-toggle span{background:#d2461e;border-radius:999px;padding:2px 7px;" +
    "margin-left:6px}";
  var panel, list, toggle, count;

  function describeSecure(secure) {
    if (!secure) return null;
    if (!secure.key && typeof secure.payload === "object") {
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
    item.appendChild(h);
    item.appendChild(pre);
    list.appendChild(item);
    count.textContent = String(list.children.length);
  }
  function remembered() {
    try { return w.sessionStorage.getItem(KEY); } catch (e) { return null; }
  }
  function setOpen(open, remember) {
    var root = d.documentElement, wide = w.matchMedia ? w.matchMedia(WIDE).matches : true;
    root.classList.toggle("sblgen-open", open);
    root.classList.toggle("sblgen-side", wide);
    root.classList.toggle("sblgen-bottom", !wide);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (remember) {
      try { w.sessionStorage.setItem(KEY, open ? "open" : "closed"); } catch (e) { /* private */ }
    }
  }
  function build() {
    var style = d.createElement("style");
    style.textContent = CSS;
    d.head.appendChild(style);
    panel = d.createElement("aside");
    panel.id = "sblgen-inspector";
    panel.setAttribute("aria-label", "sblgen inspector");
    var head = d.createElement("div");
    head.className = "sblgen-head";
    var title = d.createElement("div");
    title.className = "sblgen-title";
    title.textContent = "sblgen inspector";
    var sub = d.createElement("small");
    sub.textContent = "offline: nothing is sent to FastSpring";
    title.appendChild(sub);
    var close = d.createElement("button");
    close.type = "button";
    close.className = "sblgen-close";
    close.textContent = "Hide";
    close.setAttribute("aria-controls", "sblgen-inspector");
    close.addEventListener("click", function () { setOpen(false, true); toggle.focus(); });
    head.appendChild(title);
    head.appendChild(close);
    list = d.createElement("ol");
    panel.appendChild(head);
    panel.appendChild(list);
    toggle = d.createElement("button");
    toggle.type = "button";
    toggle.id = "sblgen-inspector-toggle";
    toggle.setAttribute("aria-controls", "sblgen-inspector");
    toggle.textContent = "sblgen inspector";
    count = d.createElement("span");
    count.textContent = "0";
    toggle.appendChild(count);
    toggle.addEventListener("click", function () { setOpen(true, true); close.focus(); });
    d.body.appendChild(panel);
    d.body.appendChild(toggle);
    var saved = remembered();
    setOpen(saved ? saved === "open" : !w.matchMedia || w.matchMedia(WIDE).matches, false);
    if (w.matchMedia) {
      var query = w.matchMedia(WIDE);
      var follow = function () { setOpen(d.documentElement.classList.contains("sblgen-open"), false); };
      if (query.addEventListener) query.addEventListener("change", follow);
    }
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
  // What the real SBL would send for a markup action (SBL behaviour §4): which elements it
  // binds, how each action reads its values, how the pushes of one click merge into one
  // request, and what an empty value means. record.clicks keeps {request, put, lines}.
  var BOUND = ["Add", "Update", "Remove", "Replace", "Promocode", "Reset", "Recognize",
    "PostalCode", "Checkout", "PaypalCheckout", "TaxId", "ViewCart"];
  var EMPTY = { coupon: "removes the coupon", postalCode: "clears the postal code",
    taxId: "clears the tax id" };
  function q(v) {
    return v === null ? "null" : "'" + String(v).replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
  }
  function find(tag, path) {
    var sel = "[data-fsc-" + tag + "-value]" +
      (path ? "[data-fsc-item-path-value='" + String(path).replace(/'/g, "\\'") + "']" : "");
    var el = d.querySelector(sel);
    return { value: el ? el.value || el.innerHTML || "" : "", missing: !el, tag: tag };
  }
  function quantity(el, path) {
    var own = el.getAttribute("data-fsc-item-quantity-value"), src = el.getAttribute("data-fsc-quantity-src");
    var v;
    if (el.tagName.toLowerCase() === "input" && (el.type || "").toLowerCase() === "checkbox" && !el.checked) return 0;
    if (own !== null && Number(own) > 0) v = own;
    else if (src) {
      var s = d.getElementById(src);
      if (!s) return { error: "no element with id " + q(src) + " (the SBL throws)" };
      var tag = s.tagName.toLowerCase(), st = (s.type || "").toLowerCase();
      if ((tag === "input" && st !== "checkbox") || tag === "select") v = s.value;
      else if (tag === "input" && st === "checkbox") v = s.checked ? 1 : 0;
      else if (Number(s.getAttribute("data-fsc-item-quantity-value")) > 0) v = s.getAttribute("data-fsc-item-quantity-value");
      else v = find("item-quantity", path).value;
    } else v = find("item-quantity", path).value;
    var n = parseInt(v || 1, 10);
    return isNaN(n) ? null : n;
  }
  function wouldSend(el) {
    var attr = el.getAttribute("data-fsc-action") || "", path = el.getAttribute("data-fsc-item-path-value");
    var names = attr.indexOf(",") > -1 ? attr.split(",").map(function (a) { return a.trim(); }) : [attr.trim()];
    if (attr.indexOf(",") < 0 && BOUND.indexOf(names[0]) < 0) {
      return { request: null, put: null,
        lines: ["not bound by the SBL (" + q(attr) + " alone is not a bound action): this click sends nothing"] };
    }
    var put = {}, lines = [], products = [], finalize = false, reset = false, session = null;
    function value(key, found, into) {
      (into || put)[key] = found.value;
      var line = key + ": " + q(found.value);
      if (found.value === "" && EMPTY[key]) line += " (" + EMPTY[key] + ")";
      if (found.missing) line += " [no data-fsc-" + found.tag + "-value element on the page]";
      lines.push(line);
    }
    names.forEach(function (name) {
      if (name === "Add" || name === "Replace") {
        products.push({ path: path, quantity: null });
        if (name === "Replace") lines.push("Replace runs Add: nothing is removed");
      } else if (name === "Update") {
        var n = quantity(el, path);
        if (n && n.error) lines.push("Update: " + n.error); else products.push({ path: path, quantity: n });
      } else if (name === "Remove") products.push({ path: path, quantity: 0 });
      else if (name === "Promocode") value("coupon", find("promocode"));
      else if (name === "PostalCode") value("postalCode", find("postalcode"));
      else if (name === "TaxId") value("taxId", find("taxid"));
      else if (name === "Recognize") {
        put.paymentContact = {};
        value("email", find("email"), put.paymentContact);
        value("firstName", find("firstname"), put.paymentContact);
        value("lastName", find("lastname"), put.paymentContact);
      } else if (name === "Reset") { reset = true; lines.push("reset: a new, empty cart"); }
      else if (name === "Clean") lines.push("clean: the continuous session is reset when checkout opens");
      else if (name === "ViewCart") { put.cartViewEnabled = true; finalize = true; }
      else if (name === "PaypalCheckout") { put.paymentMethod = "paypal"; finalize = true; }
      else if (name === "Checkout") {
        var id = find("session").value;
        if (id.length > 10) session = id; else finalize = true;
      } else lines.push(q(name) + ": not an SBL action, ignored");
    });
    if (session) {
      return { request: "open " + session, put: null,
        lines: ["checkout: " + q(session) + " (opens that Sessions API session; nothing is sent to /builder)"] };
    }
    // returnMeaningful: the last line per path wins, in reverse order (SBL behaviour §2.2).
    var seen = {}, items = [];
    products.reverse().forEach(function (p) { if (!seen[p.path]) { seen[p.path] = 1; items.push(p); } });
    if (items.length) put = Object.assign({ items: items }, put);
    items.forEach(function (p) {
      lines.unshift("item " + q(p.path) + ", quantity " + p.quantity +
        (p.quantity === null ? " (null: the catalog's default quantity)" : p.quantity === 0 ? " (0 removes it)" : ""));
    });
    var request = finalize ? "POST /builder/finalize" :
      Object.keys(put).length ? "POST /builder" : reset ? "GET /builder" : "POST /builder";
    if (finalize) lines.push("checkout: finalizes the cart and opens checkout");
    lines.push("one request: " + request);
    return { request: request, put: put, lines: lines };
  }
  d.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-fsc-action]") : null;
    if (el) {
      var sends = wouldSend(el);
      record.clicks = (record.clicks || []).concat([sends]);
      entry("markup action " + el.getAttribute("data-fsc-action") + ": the SBL would send",
            sends.put ? { put: sends.put, notes: sends.lines } : sends.lines);
    }
  });
  if (d.body) build(); else d.addEventListener("DOMContentLoaded", build);
})();
