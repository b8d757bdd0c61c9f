/* A stand-in for FastSpring's Store Builder Library (SBL 1.0.3), for sblgen's browser tests.
 *
 * It is sblgen's own code, written from a prose description of how the real library behaves
 * (cited as "SBL behaviour §N.N"). It talks to the storefront like the real one: real XHRs to
 * https://<data-storefront>/builder..., the stylesheet, the spinner, the skeleton and the
 * checkout iframe. The browser harness routes every FastSpring host to a local fake store, so
 * nothing leaves the machine, and a Content-Security-Policy sees the same loads it would see
 * with the real library.
 *
 * What it records, for tests (window.__sbl):
 *   loaded     true once the script has run (even if it then threw, see `failed`)
 *   initial    a deep copy of window.fscSession when the library executed (null if unset)
 *   calls      every fastspring.builder.<method>(...) call the page made, [name, ...args]
 *   data       the data-* attributes of <script id="fsc-api">
 *   requests   every request it sent: {method, url, body, form, put, data, status}
 *   resources  stylesheet, spinner, skeleton and template-library loads: {kind, url}
 *   opened     checkout URLs it opened: {url, target: "frame" | "location" | "kept"}
 *   callbacks  data-*-callback functions it called: [attribute, ...args]
 *   order      the last order object it wrote the display directives from
 *   idle       no request in flight and none queued
 *   markupReady, bindings, bound: whether markup ran, how often actions were bound, how many
 */
(function (win, doc) {
  "use strict";

  var PREFIX = "[FastSpring API] ";
  var SPINNER_URL = "https://sbl.onfastspring.com/pinhole/spin.svg";
  var TEMPLATE_LIB = "https://cdnjs.cloudflare.com/ajax/libs/handlebars.js/3.0.1/handlebars.min.js";
  var CONTAINER_ID = "fsc-embedded-checkout-container";
  var FRAME_ID = "fsc-popup-frame";
  var SKELETON_ID = "fsc-embedded-checkout-skeleton";

  function copy(value) {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  var record = (win.__sbl = {
    loaded: false,
    failed: null,
    initial: win.fscSession === undefined ? null : copy(win.fscSession),
    calls: [],
    data: {},
    hasTag: false,
    requests: [],
    resources: [],
    opened: [],
    callbacks: [],
    errors: [],
    order: null,
    idle: true,
    markupReady: false,
    bindings: 0,
    bound: 0,
  });

  // ------------------------------------------------------------------ the tag and its attributes

  // SBL behaviour §1.1: the library finds its own tag as script#fsc-api and reads it once.
  var tag = doc.querySelector("script#fsc-api");
  record.hasTag = !!tag;
  if (tag) {
    each(tag.attributes, function (attr) {
      if (attr.name.indexOf("data-") === 0) record.data[attr.name] = attr.value;
    });
  }

  var CALLBACK_ATTRS = {
    data: "data-data-callback",
    error: "data-error-callback",
    validation: "data-validation-callback",
    beforeRequests: "data-before-requests-callback",
    afterRequests: "data-after-requests-callback",
    beforeMarkup: "data-before-markup-callback",
    afterMarkup: "data-after-markup-callback",
    markupHelpers: "data-markup-helpers-callback",
    decorate: "data-decorate-callback",
    popupClosed: "data-popup-closed",
    popupEvent: "data-popup-event-received",
    popupWebhook: "data-popup-webhook-received",
  };

  var conf = {}; // filled by readTag(), SBL behaviour §1.1
  var checkoutMode = "redirect"; // SBL behaviour §1.2
  var inline = false;
  var testMode = false;
  var storefrontBase = "";

  function readTag() {
    if (!tag) {
      throw new TypeError("Cannot read properties of null (reading 'getAttribute')");
    }
    conf.storefront = tag.getAttribute("data-storefront"); // raw, used as https:// + value
    conf.accessKey = tag.getAttribute("data-access-key"); // null when absent
    conf.debug = tag.getAttribute("data-debug") === "true"; // only the exact string
    conf.continuous = tag.getAttribute("data-continuous") === "true";
    // SBL behaviour §1.1: attr || 'true', tested for truthiness: the fade cannot be turned off.
    conf.fader = !!(tag.getAttribute("data-animate-fader") || "true");
    conf.rawSrc = tag.getAttribute("src"); // for sblVersion, SBL behaviour §2.5
    conf.callbacks = {};
    Object.keys(CALLBACK_ATTRS).forEach(function (key) {
      conf.callbacks[key] = tag.getAttribute(CALLBACK_ATTRS[key]);
    });
    if (conf.storefront === null) {
      // SBL behaviour §1.1: string methods are called on null, so init throws.
      throw new TypeError("Cannot read properties of null (reading 'match')");
    }
    storefrontBase = "https://" + conf.storefront;
  }

  // SBL behaviour §1.2: substring tests on the whole value, in this order; a later match wins.
  function classify() {
    var sf = conf.storefront;
    if (sf.indexOf("pinhole") !== -1 || sf.indexOf("popup") !== -1) checkoutMode = "popup";
    if (sf.indexOf("inapp") !== -1) checkoutMode = "inapp";
    if (sf.indexOf("embedded") !== -1) {
      checkoutMode = "popup";
      inline = true;
    }
    testMode = /\.test\./.test(sf) || /localhost:[^?]*\*/.test(sf);
  }

  // SBL behaviour §2.5: from the first "sbl" in the raw src, between the next "/" and the last.
  function sblVersion() {
    var src = conf.rawSrc;
    var at = src.indexOf("sbl");
    if (at === -1) return null;
    var tail = src.substring(at);
    return tail.substring(tail.indexOf("/") + 1, tail.lastIndexOf("/"));
  }

  function scriptFolder() {
    var src = tag.src; // the resolved URL, SBL behaviour §1.4
    return src.slice(0, src.lastIndexOf("/"));
  }

  // ------------------------------------------------------------------ logging and callbacks

  function storageDebug() {
    try {
      return store.getItem("debug");
    } catch (e) {
      return null;
    }
  }

  function debug() {
    if (!conf.debug && !storageDebug()) return;
    var args = Array.prototype.slice.call(arguments);
    if (typeof args[0] === "string") args[0] = PREFIX + args[0];
    console.log.apply(console, args);
  }

  // SBL behaviour §3: errors always go to console.error, prefixed "[FastSpring API] ".
  function fail() {
    var args = Array.prototype.slice.call(arguments);
    if (typeof args[0] === "string") args[0] = PREFIX + args[0];
    record.errors.push(args.map(String).join(" "));
    console.error.apply(console, args);
  }

  // SBL behaviour §6: each callback is window[name], looked up when it would fire, called only
  // if it is a function then; exceptions are caught and logged (decorate is not guarded).
  function callback(key, args, quiet) {
    var fn = win[conf.callbacks[key]];
    if (typeof fn !== "function") return;
    record.callbacks.push([CALLBACK_ATTRS[key]].concat(copy(args || [])));
    try {
      fn.apply(null, args || []);
    } catch (e) {
      if (quiet) debug("Error in " + CALLBACK_ATTRS[key], e);
      else fail("Error in " + CALLBACK_ATTRS[key], e);
    }
  }

  function runPerCall(cb, args) {
    if (typeof cb === "function") cb.apply(null, args || []);
  }

  // ------------------------------------------------------------------ storage, SBL behaviour §2.6

  var store = (function () {
    try {
      win.localStorage.setItem("__fsc_probe", "1");
      win.localStorage.removeItem("__fsc_probe");
      return win.localStorage;
    } catch (e) {
      var memory = {};
      return {
        getItem: function (k) {
          return has(memory, k) ? memory[k] : undefined;
        },
        setItem: function (k, v) {
          memory[k] = String(v);
        },
        removeItem: function (k) {
          delete memory[k];
        },
      };
    }
  })();

  function serialKey() {
    return "fscSerial-" + conf.storefront;
  }

  function latestKey() {
    return "fscLatestSession-" + conf.storefront;
  }

  function storedSerial() {
    var raw = store.getItem(serialKey());
    if (!raw) return null;
    var saved = JSON.parse(raw);
    return has(saved, "session") && has(saved, "expires") ? saved.session : null;
  }

  // ------------------------------------------------------------------ session state

  // SBL behaviour §1.3 step 1: window.fscSession is captured once; later changes are not seen.
  var pending = win.fscSession || {};
  var initialised = false;
  var merging = false; // SBL behaviour §2.2, §4.1
  var cleanCheckout = false; // SBL behaviour §2.3 step 5: never reset to false
  var serial = null; // the builder session, sent as form field `session`
  var serialExpires;

  // SBL behaviour §2.2: a deep merge. `products` (at any depth) is appended; an object value
  // (arrays and null included) is merged recursively, and replaced if that fails; anything
  // else is replaced by the later value.
  function foldInto(target, source) {
    for (var key in source) {
      if (!has(source, key)) continue;
      try {
        if (key === "products") {
          var before = target.products || [];
          target.products = before.concat(source.products);
        } else if (typeof target[key] === "object") {
          target[key] = foldInto(target[key], source[key]);
        } else {
          target[key] = source[key];
        }
      } catch (e) {
        target[key] = source[key];
      }
    }
    return target;
  }

  // SBL behaviour §2.2: reversed in place, then the first entry per path is kept, so the last
  // entry for a path wins and the order comes out reversed.
  function lastPerPath(products) {
    products.reverse();
    var seen = {};
    return products.filter(function (line) {
      if (has(seen, line.path)) return false;
      seen[line.path] = true;
      return true;
    });
  }

  // SBL behaviour §2.3 step 1: a whitelist; every other key is dropped.
  var FORWARDED = [
    "coupon",
    "postalCode",
    "products",
    "tags",
    "paymentContact",
    "recipient",
    "country",
    "language",
    "taxId",
    "paymentMethod",
    "cartViewEnabled",
    "invoiceDueDate",
  ];

  function forwarded(input) {
    var out = {};
    FORWARDED.forEach(function (key) {
      if (!has(input, key)) return;
      if (key === "products") {
        if (input.products.length > 0) out.items = lastPerPath(input.products);
      } else {
        out[key] = input[key];
      }
    });
    return out;
  }

  function isEmpty(object) {
    if (object === undefined || object === null) return true;
    for (var key in object) if (has(object, key)) return false;
    return true;
  }

  // SBL behaviour §3: the secure branches; what fails is logged and the rest is still sent.
  function addSecure(secure, out) {
    if (conf.accessKey === null) return fail("No access key found in payload");
    if (!has(secure, "payload")) return fail("No secure payload found in request");
    // Only presence of `key` is tested here (even "" or null), SBL behaviour §3.
    var keyGiven = has(secure, "key");
    if (testMode && !keyGiven) {
      out.accessKey = conf.accessKey;
      foldInto(out, secure.payload); // plaintext fields land at the top level
    } else if (keyGiven) {
      out.accessKey = conf.accessKey;
      out.secureKey = secure.key;
      out.securePayload = secure.payload;
    } else {
      fail("No secure key found in payload");
    }
  }

  // SBL behaviour §2.3: the order of steps for every push, fscSession and markup action.
  function parseInput(input, cb) {
    var out = forwarded(input);
    debug("Input:", input, "Sanitized output:", out);
    if (has(input, "secure")) addSecure(input.secure, out);
    if (has(input, "authenticate")) {
      if (conf.accessKey === null) {
        // SBL behaviour §2.3 step 3: nothing else is processed or sent.
        debug("No access key found while authenticating user");
        runPerCall(cb);
        return;
      }
      var auth = input.authenticate;
      if (has(auth, "key")) queueAuthenticate(auth.payload, auth.key);
      else queueAuthenticate(auth.payload);
    }
    if (has(input, "reset")) continuousReset();
    if (has(input, "clean")) cleanCheckout = true;
    if (has(input, "session")) serial = input.session;
    else if (conf.continuous && !serial) serial = storedSerial();
    if (has(input, "close")) queueRefresh();
    if (has(input, "checkout")) {
      if (checkoutMode === "popup") drawCanvas();
      var value = input.checkout;
      // SBL behaviour §2.3 step 8: a string longer than 10 characters is a session id.
      if (value !== "true" && value !== "false" && value.length > 10) {
        store.setItem(latestKey(), value);
        openCheckout(storefrontBase + "/session/" + value, cb);
      } else {
        queueFinalize(out, cb);
      }
    } else if (!has(input, "authenticate")) {
      queueBuilder(out, cb);
    }
    flush();
    pending = {};
  }

  function continuousReset() {
    store.removeItem(serialKey());
    serial = null;
  }

  // ------------------------------------------------------------------ requests, SBL behaviour §2.4

  var queue = [];
  var busy = false;

  function queueBuilder(out, cb) {
    var now = new Date().getTime();
    var expired = serialExpires ? serialExpires < now : null;
    var saved = store.getItem(serialKey());
    var savedExpired = saved ? JSON.parse(saved).expires < now : null;
    if (expired == null && savedExpired) expired = savedExpired;
    var method = "POST";
    var fields;
    if (isEmpty(out) || expired) {
      // SBL behaviour §2.4: nothing to send (or an expired session, whose input is discarded).
      fields = {};
      if (!serial) method = "GET";
    } else {
      out.sblVersion = sblVersion();
      fields = { put: JSON.stringify(out) };
    }
    if (serial && expired) method = "GET";
    queue.push({ url: storefrontBase + "/builder", method: method, fields: fields, cb: cb });
  }

  function queueFinalize(out, cb) {
    // SBL behaviour §2.4: origin for popup, embedded and inapp; sessionId if one is stored.
    if (checkoutMode === "popup" || checkoutMode === "inapp") out.origin = doc.location.href;
    out.sblVersion = sblVersion();
    var fields = { put: JSON.stringify(out) };
    var latest = store.getItem(latestKey());
    if (latest) fields.sessionId = latest;
    queue.push({ url: storefrontBase + "/builder/finalize", method: "POST", fields: fields, cb: cb });
  }

  function queueRefresh() {
    var latest = store.getItem(latestKey());
    queue.push({
      url: storefrontBase + "/builder/refresh/" + (latest || ""),
      method: "GET",
      fields: {},
      noSession: true,
    });
  }

  // SBL behaviour §3: authenticate, live (encrypted, key required) or test mode (plaintext).
  function queueAuthenticate(payload, key) {
    var body;
    if (!testMode) {
      if (!key) {
        debug("No secure key found while authenticating user");
        return;
      }
      body = { securePayload: payload, accessKey: conf.accessKey, secureKey: key };
    } else {
      body = payload; // the caller's object is changed; a string payload throws (strict mode)
      body.accessKey = conf.accessKey;
    }
    queue.push({
      url: storefrontBase + "/account/authenticate",
      method: "POST",
      fields: { data: JSON.stringify(body) },
      noSession: true,
    });
  }

  // SBL behaviour §2.4: requests are serialised; before-requests fires when a chain starts.
  function flush() {
    if (busy) return;
    callback("beforeRequests");
    next();
  }

  function next() {
    if (queue.length) {
      send(queue.shift());
      return;
    }
    busy = false;
    record.idle = true;
    callback("afterRequests");
  }

  function formBody(fields) {
    return Object.keys(fields)
      .map(function (name) {
        return name + "=" + encodeURIComponent(fields[name]);
      })
      .join("&");
  }

  function parsedField(fields, name) {
    if (!has(fields, name)) return null;
    try {
      return JSON.parse(fields[name]);
    } catch (e) {
      return fields[name];
    }
  }

  function send(req) {
    busy = true;
    record.idle = false;
    if (serial && !req.noSession) req.fields.session = serial;
    var body = formBody(req.fields);
    // A GET carries no body on the wire (SBL behaviour §2.4), so it never carries `session`.
    var wire = req.method === "GET" ? {} : req.fields;
    var entry = {
      method: req.method,
      url: req.url,
      body: req.method === "GET" ? null : body,
      form: copy(wire),
      put: parsedField(wire, "put"),
      data: parsedField(wire, "data"),
      status: null,
    };
    record.requests.push(entry);
    var xhr = new XMLHttpRequest();
    try {
      xhr.open(req.method, req.url, true);
      xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
      xhr.setRequestHeader("Accept", "application/json, text/javascript, */*; q=0.01");
      // SBL behaviour §6: a failed XHR reports twice, from onerror and from the state handler.
      xhr.onerror = function () {
        entry.status = xhr.status;
        fail("(!) Error received: ", xhr.status, xhr.responseText);
        callback("error", [xhr.status, xhr.responseText]);
        runPerCall(req.cb, [false]);
        next();
      };
      xhr.onreadystatechange = function () {
        if (xhr.readyState !== 4) return;
        entry.status = xhr.status;
        if (xhr.status >= 200 && xhr.status < 400) {
          received(xhr, req);
          return;
        }
        fail("(!) Error: Error received: ", xhr.status, xhr.responseText);
        if (checkoutMode === "popup") destroyPopup();
        callback("error", [xhr.status, xhr.responseText]);
        runPerCall(req.cb, [false]);
        next();
      };
      xhr.send(body);
    } catch (e) {
      fail("Exception: ", e);
    }
  }

  function received(xhr, req) {
    var reply;
    try {
      reply = JSON.parse(xhr.responseText);
    } catch (e) {
      // SBL behaviour §2.4: a 2xx that is not JSON reports an error and leaves the queue locked.
      callback("error", [xhr.status, xhr.responseText]);
      runPerCall(req.cb, [false, xhr.responseText]);
      return;
    }
    // SBL behaviour §6: validation fires (before data) when any field has valid === false.
    var fields = reply.fields;
    for (var name in fields) {
      if (has(fields[name], "valid") && !fields[name].valid) {
        callback("validation", [fields]);
        break;
      }
    }
    if (has(reply, "url") && !has(reply, "serial")) {
      // SBL behaviour §2.4 (finalize) and §6: the queue moves on before the URL is opened.
      runPerCall(req.cb, [reply]);
      next();
      if (has(reply, "session")) store.setItem(latestKey(), reply.session);
      if (has(reply, "serialCheckout")) takeSerial(reply.serialCheckout, reply.expires);
      openCheckout(reply.url);
      return;
    }
    takeSerial(reply.serial, reply.expires);
    deliver(reply, xhr.responseURL, req.cb, req.method);
    next();
  }

  function takeSerial(value, expires) {
    if (serial === value) return;
    serial = value;
    serialExpires = expires;
    // SBL behaviour §2.6: the serial is kept in storage only with data-continuous="true".
    if (conf.continuous) store.setItem(serialKey(), JSON.stringify({ session: value, expires: expires }));
  }

  // SBL behaviour §5.5: what the data callback and the directives see.
  function annotate(order) {
    delete order.serial;
    delete order.expires;
    var driverOf = {};
    order.groups.forEach(function (group) {
      group.selectables = false;
      group.selectableReplacements = false;
      group.selectableAdditions = false;
      group.items.forEach(function (item) {
        item.selectables = false;
        item.selectableReplacements = false;
        item.selectableAdditions = false;
        if (!item.selected) {
          group.selectables = true;
          if (group.type === "add") group.selectableAdditions = true;
          if (group.type === "replace") group.selectableReplacements = true;
        }
        driverOf[item.path] = group.driver;
        item.groups.forEach(function (sub) {
          sub.items.forEach(function (offer) {
            if (offer.selected) return;
            item.selectables = true;
            if (sub.type === "replace") item.selectableReplacements = true;
          });
          if (sub.type === "options" && sub.ordering) {
            var byPath = {};
            sub.items.forEach(function (offer) {
              byPath[offer.path] = offer;
            });
            byPath[item.path] = item;
            sub.items = sub.ordering.map(function (path) {
              return byPath[path];
            });
          }
        });
      });
    });
    order.groups.forEach(function (group) {
      group.driverType = "storefront";
      if (group.type === "add" && has(driverOf, group.driver)) {
        group.driverType = "product";
        group.driverOrigin = driverOf[group.driver];
      }
    });
    return order;
  }

  // SBL behaviour §6: data fires only for the last response in a chain; markup follows it.
  function deliver(order, responseUrl, cb, method) {
    order = annotate(order);
    if (queue.length) {
      runPerCall(cb, [order]);
      return;
    }
    callback("data", [order]);
    syncEmbedded(responseUrl, method, order.selections);
    markup.data = order;
    record.order = order;
    runPerCall(cb, [order]);
    processMarkup();
  }

  // ------------------------------------------------------------------ opening checkout

  // SBL behaviour §2.4 "Opening a URL": decorate, then the iframe (popup storefronts, /popup-
  // or /embedded- URLs) or a top-level navigation; the storefront path is kept.
  function openCheckout(url, cb) {
    var decorate = win[conf.callbacks.decorate];
    if (typeof decorate === "function") {
      record.callbacks.push([CALLBACK_ATTRS.decorate, url]);
      var decorated = decorate(url); // not guarded, SBL behaviour §6
      try {
        if (decorated && decorated.length > 0 && decorated.indexOf(url) > -1) url = decorated;
        else fail("data-decorate-callback Must return correct url");
      } catch (e) {
        fail(e);
      }
    }
    if (cleanCheckout) continuousReset();
    if (checkoutMode === "popup" && (/\/popup-/.test(url) || /\/embedded-/.test(url))) {
      drawFrame(url);
    } else {
      record.opened.push({ url: url, target: "location" });
      win.location = url;
    }
    runPerCall(cb);
  }

  var popup = { canvas: null, frame: null, spinner: null, completed: false, userUpdated: false };

  // SBL behaviour §1.2, §1.4: the overlay and spinner (popup storefronts; none when embedded).
  function drawCanvas() {
    win.addEventListener("message", onMessage, false);
    if (!doc.getElementById("fscCanvas") && !inline) {
      var canvas = (popup.canvas = doc.createElement("div"));
      canvas.id = "fscCanvas";
      canvas.className = "fs-popup-background";
      if (conf.fader) {
        canvas.style.transitionProperty = "opacity";
        canvas.style.transitionDuration = "0.5s";
        canvas.style.opacity = "0";
      }
      doc.body.appendChild(canvas);
      if (conf.fader) {
        setTimeout(function () {
          // Throws (an uncaught TypeError) if the overlay is gone by then, as the real one does.
          doc.getElementById("fscCanvas").style.opacity = "1";
        }, 100);
      }
    }
    attachSpinner();
  }

  function attachSpinner() {
    if (inline || !popup.spinner || !popup.canvas) return;
    var s = popup.spinner.style;
    s.position = "absolute";
    s.top = "50%";
    s.marginTop = "-50px";
    s.left = "50%";
    s.marginLeft = "-50px";
    s.zIndex = "100000000000000";
    s.display = "block";
    popup.canvas.appendChild(popup.spinner);
  }

  function hideSpinner() {
    if (!inline && popup.spinner) popup.spinner.style.display = "none";
  }

  function container() {
    return doc.getElementById(CONTAINER_ID);
  }

  // SBL behaviour §2.4, §7: #fsc-popup-frame in the overlay, or in the embedded container.
  function drawFrame(url) {
    if (popup.frame) {
      // A checkout frame already exists: it is not navigated (an embedded frame is refreshed
      // by message instead, SBL behaviour §7). On a popup storefront the overlay is removed,
      // frame and all, so a second checkout while one is open shows nothing (seen when this
      // stand-in was compared with the real library; not in the behaviour description).
      hideSpinner();
      if (!inline && popup.canvas) popup.canvas.remove();
      record.opened.push({ url: url, target: "kept" });
      return;
    }
    var existing = doc.getElementById(FRAME_ID);
    if (existing) {
      popup.frame = existing;
      if (url.length > 0) existing.src = url;
      record.opened.push({ url: url, target: "frame" });
      return;
    }
    var frame = (popup.frame = doc.createElement("iframe"));
    frame.id = FRAME_ID;
    frame.setAttribute("name", FRAME_ID);
    frame.width = "100%";
    frame.height = "100%";
    frame.style.position = inline ? "absolute" : "fixed";
    frame.style.top = "0";
    frame.style.left = "0";
    frame.style.background = "transparent";
    frame.style.zIndex = "1000000000000000";
    frame.frameBorder = "0";
    frame.setAttribute("background", "transparent");
    if (url.length > 0) frame.setAttribute("src", url);
    frame.onload = function () {
      hideSpinner();
      var skeleton = doc.getElementById(SKELETON_ID);
      if (skeleton) {
        requestAnimationFrame(function () {
          skeleton.style.opacity = "0";
        });
      }
    };
    record.opened.push({ url: url, target: "frame" });
    var canvas = doc.getElementById("fscCanvas");
    if (canvas) {
      canvas.appendChild(frame);
    } else if (inline) {
      var box = container();
      if (box) {
        // SBL behaviour §7: in the next animation frame; the skeleton, if any, is kept.
        requestAnimationFrame(function () {
          frame.scrolling = "no";
          if (!box.querySelector("#" + SKELETON_ID)) box.innerHTML = "";
          box.appendChild(frame);
        });
      } else {
        fail("Make sure the inline checkout container is placed correctly");
      }
    } else {
      doc.body.appendChild(frame);
    }
    if (!inline) {
      doc.body.setAttribute("data-overflow", doc.body.style.overflow);
      doc.body.style.overflow = "hidden";
    }
  }

  // SBL behaviour §6: after a close the overlay fades (500 ms, always on), then the frame and
  // the overlay go, and the cart is refreshed (continuous, no order) or reset.
  function destroyPopup() {
    doc.body.style.overflow = doc.body.getAttribute("data-overflow") || "";
    doc.body.removeAttribute("data-overflow");
    hideSpinner();
    win.removeEventListener("message", onMessage, false);
    if (!popup.canvas) return;
    var delay = 0;
    if (conf.fader) {
      popup.canvas.style.opacity = "0";
      delay = 500;
    }
    setTimeout(function () {
      if (popup.frame && popup.frame.parentNode) popup.frame.parentNode.removeChild(popup.frame);
      popup.frame = null;
      if (popup.canvas && popup.canvas.parentNode) popup.canvas.parentNode.removeChild(popup.canvas);
      popup.canvas = null;
      if (conf.continuous && !popup.completed) methods.updateSession();
      else methods.reset();
    }, delay);
  }

  function popupClosed(orderReferences) {
    callback("popupClosed", [orderReferences]);
    if (orderReferences) {
      // SBL behaviour §2.6: a completed order removes both storage keys.
      store.removeItem(latestKey());
      store.removeItem(serialKey());
      serial = null;
    }
    destroyPopup();
  }

  // SBL behaviour §6 "Messages the page receives": the origin is not checked.
  function onMessage(event) {
    var data = event.data;
    if (!has(data, "fscPopupMessage") || !has(data.fscPopupMessage, "action")) return;
    var message = data.fscPopupMessage;
    var box;
    switch (message.action) {
      case "close":
        popup.completed = has(message, "orderReferences");
        popupClosed(popup.completed ? message.orderReferences : null);
        break;
      case "event":
        if (has(message, "eventData")) callback("popupEvent", [message.eventData], true);
        break;
      case "hook":
        if (has(message, "hookData")) callback("popupWebhook", [message.hookData], true);
        break;
      case "scroll":
        doc.body.scrollTop = 0;
        break;
      case "resizeInlineContainer":
        box = container();
        if (box && message.height) box.style.height = message.height + "px";
        break;
      case "updatesession":
        // SBL behaviour §7: a change inside the embedded checkout refreshes and reloads the cart.
        if (inline) {
          popup.userUpdated = true;
          queueRefresh();
          queueBuilder({});
          flush();
        }
        break;
    }
  }

  // SBL behaviour §2.6: ?fsc:invoke:session / :complete reopens the latest session (not inapp).
  function reopenFromUrl() {
    var found = /fsc:invoke:(session|complete)/.exec(decodeURIComponent(doc.location.search));
    if (!found) return;
    var latest = store.getItem(latestKey());
    if (!latest) return;
    var path = found[1] === "complete" ? latest + "/complete" : latest;
    var timer = setInterval(function () {
      if (doc.readyState !== "complete") return;
      clearInterval(timer);
      win.addEventListener("message", onMessage, false);
      drawCanvas();
      drawFrame(storefrontBase + "/session/" + path);
    }, 100);
  }

  // ------------------------------------------------------------------ embedded, SBL behaviour §7

  function watchForContainer() {
    var ticks = 0;
    var timer = setInterval(function () {
      if (ticks >= 100) clearInterval(timer); // about 5 s
      ticks += 1;
      var box = container();
      if (!box) return;
      clearInterval(timer);
      if (box.innerHTML.trim() !== "") return; // the skeleton only goes into an empty container
      var url = scriptFolder() + "/skeleton.html";
      requestAnimationFrame(function () {
        record.resources.push({ kind: "skeleton", url: url });
        // Inserted as HTML with a style attribute (a CSP concern, SBL behaviour §1.4).
        box.insertAdjacentHTML(
          "beforeend",
          '<iframe id="' + SKELETON_ID + '" name="' + SKELETON_ID + '" width="100%" height="100%" ' +
            'frameBorder="0" style="position:absolute; top:0" src="' + url + '"></iframe>'
        );
        box.style.height = "660px";
        box.style.position = "relative";
      });
    }, 50);
  }

  // SBL behaviour §7: after each /builder response (not /refresh) an embedded page re-syncs the
  // frame, or opens checkout by itself after the first POST with selections.
  function syncEmbedded(responseUrl, method, hasSelections) {
    try {
      if (!inline || !responseUrl) return;
      if (responseUrl.indexOf("/builder") === -1 || responseUrl.indexOf("/refresh") !== -1) return;
      if (popup.userUpdated) {
        popup.userUpdated = false;
        return;
      }
      var frame = doc.getElementById(FRAME_ID);
      if (frame && frame.contentWindow) {
        if (hasSelections) {
          queueFinalize({}, function () {
            frame.contentWindow.postMessage({ refreshUI: true }, "*");
          });
        } else {
          frame.contentWindow.postMessage({ emptySession: true }, "*");
        }
        return;
      }
      if (!hasSelections) return;
      var restored = conf.continuous ? storedSerial() : null;
      if (!restored && method !== "POST") return;
      if (container()) {
        actions.Checkout();
        return;
      }
      var ticks = 0;
      var timer = setInterval(function () {
        if (ticks >= 80) clearInterval(timer); // about 4 s
        ticks += 1;
        if (container()) {
          clearInterval(timer);
          actions.Checkout();
        }
      }, 50);
    } catch (e) {
      fail("Error in messaging to iframe for inline checkout", e);
    }
  }

  // ------------------------------------------------------------------ markup

  var markup = { ready: false, data: null, containers: [], templates: [] };

  // SBL behaviour §1.3: markup is initialised only from the DOMContentLoaded listener that
  // the library registers when it executes; a script run after DCL never gets there.
  function initMarkup() {
    markup.ready = true;
    record.markupReady = true;
    markup.containers = [];
    each(doc.querySelectorAll("[data-fsc-items-container]"), function (el) {
      markup.containers.push({
        name: el.getAttribute("data-fsc-items-container"),
        filter: el.getAttribute("data-fsc-filter"),
      });
    });
  }

  function processMarkup() {
    if (!markup.ready || !markup.data) return;
    var order = markup.data;
    order.groups.forEach(function (group) {
      group.items.forEach(function (item) {
        if (item.description && item.description.action) {
          item.description.action = item.description.action.replace("<p>", "").replace("</p>", "");
        }
      });
    });
    callback("beforeMarkup");
    if (markup.containers.length) {
      loadTemplateLibrary(function () {
        callback("markupHelpers");
        compileTemplates();
        applyDirectives(order);
        callback("afterMarkup");
      });
      return;
    }
    applyDirectives(order);
    callback("afterMarkup");
  }

  // SBL behaviour §1.4, §5.4: Handlebars from cdnjs, only with template containers. If it fails
  // to load, the error handler itself throws: no directives, no bound buttons.
  function loadTemplateLibrary(done) {
    if (win.Handlebars) {
      done();
      return;
    }
    var script = doc.createElement("script");
    script.id = "handlebarScriptElm";
    script.src = TEMPLATE_LIB;
    script.onload = done;
    script.onerror = function () {
      throw new ReferenceError("xhr is not defined");
    };
    record.resources.push({ kind: "templates", url: TEMPLATE_LIB });
    doc.getElementsByTagName("head")[0].appendChild(script);
  }

  function compileTemplates() {
    markup.templates = markup.containers.map(function (box) {
      var source = doc.querySelector("[data-fsc-template-for='" + box.name + "']");
      return source ? win.Handlebars.compile(source.innerHTML) : null;
    });
  }

  // SBL behaviour §5.4: a filter "key=value;..." with true/false, 'literal' or a window global.
  function filtered(items, filter) {
    var rules = {};
    filter.split(";").forEach(function (part) {
      var pair = part.split("=");
      rules[pair[0]] = pair[1];
    });
    return items.filter(function (item) {
      for (var key in rules) {
        var raw = rules[key];
        if (raw === undefined || raw === null) return true;
        var want = raw === "true" ? true : raw === "false" ? false : raw;
        if (raw[0] === "'") want = raw.substring(1, raw.length - 1);
        else if (typeof win[want] !== "undefined") want = win[want];
        if (item[key] !== want) return false;
      }
      return true;
    });
  }

  function renderTemplates(order) {
    markup.containers.forEach(function (box, i) {
      var template = markup.templates[i];
      var target = doc.querySelector("[data-fsc-items-container='" + box.name + "']");
      if (!template || !target) return;
      var items = {};
      if (box.filter !== null) {
        order.groups.forEach(function (group, g) {
          var view = Object.create(group);
          view.items = filtered(group.items, box.filter);
          items[g] = view;
        });
      }
      target.innerHTML = template({ items: items, groups: order.groups, order: [order] });
    });
  }

  function applyDirectives(order) {
    if (markup.containers.length) renderTemplates(order);
    order.groups.forEach(function (group) {
      group.items.forEach(itemDirectives);
    });
    Object.keys(order).forEach(function (key) {
      if (key !== "groups") orderDirective(key, order[key]);
    });
    bindActions(); // last: a directive that throws leaves the buttons unbound
  }

  function show(el, visible, how) {
    el.style.display = visible ? how || "block" : "none";
  }

  function disable(el, disabled) {
    if (disabled) el.setAttribute("disabled", "disabled");
    else el.removeAttribute("disabled");
  }

  function isChoice(el) {
    return el.tagName === "INPUT" && /^(checkbox|radio)$/i.test(el.type);
  }

  function escapeDots(name) {
    return String(name).replace(/\./g, "\\.");
  }

  // SBL behaviour §5.1: product-level directives, for every item of every group.
  function itemDirectives(item) {
    var path = item.path;
    var scope = "[data-fsc-item-path='" + path + "']";
    var on = !!item.selected;
    each(doc.querySelectorAll(scope), function (el) {
      var a = function (name) {
        return el.hasAttribute("data-fsc-item-" + name);
      };
      if (a("selection-smartselect") && isChoice(el)) el.checked = on;
      if (a("selection-smartdisplay")) show(el, on);
      if (a("selection-smartdisplay-inverse")) show(el, !on);
      if (a("hideifselected") && on) show(el, false);
      if (a("showifselected") && on) show(el, true);
      if (a("hideifnotselected") && !on) show(el, false);
      if (a("showifnotselected") && !on) show(el, true);
      if (a("smartdisable")) disable(el, !on);
      if (a("smartdisable-inverse")) disable(el, on);
      if (a("disableifselected") && on) disable(el, true);
      if (a("disableifnotselected") && !on) disable(el, true);
      if (a("enableifselected") && on) disable(el, false);
      if (a("enableifnotselected") && !on) disable(el, false);
    });
    // SBL behaviour §5.1: the link is added to the item, https://<storefront>/<path>.
    item.link = storefrontBase + "/" + path;
    // SBL behaviour §5.1 smartdisplay: shown when a discount applies.
    var discounted = item.priceTotalValue !== item.totalValue;
    Object.keys(item).forEach(function (prop) {
      var value = item[prop];
      var targets;
      if (prop === "path") {
        targets = doc.querySelectorAll(scope + "[data-fsc-item-path-element]");
        each(targets, function (el) {
          writeValue(prop, value, el, "data-fsc-item-path", discounted);
        });
      } else if (typeof value === "object" && value !== null) {
        // An object value targets data-fsc-item-<prop>-<key> for each inner key.
        Object.keys(value).forEach(function (inner) {
          var attr = "data-fsc-item-" + escapeDots(prop) + "-" + escapeDots(inner);
          each(doc.querySelectorAll(scope + "[" + attr + "]"), function (el) {
            writeValue(inner, value[inner], el, "data-fsc-item-" + prop + "-" + inner, discounted);
          });
        });
      } else if (typeof value !== "object") {
        // Attribute names match case-insensitively: priceTotal -> data-fsc-item-pricetotal.
        var sel = scope + "[data-fsc-item-" + escapeDots(prop) + "]";
        each(doc.querySelectorAll(sel), function (el) {
          writeValue(prop, value, el, "data-fsc-item-" + prop, discounted);
        });
      }
    });
  }

  // SBL behaviour §5.2: what each kind of element receives.
  function writeValue(prop, value, el, attr, discounted) {
    // A null value makes the real library throw; so does this (SBL behaviour §5.2).
    var text = value.toString().replace("<p>", "").replace("</p>", "");
    var name = attr.toLowerCase();
    var kind = el.tagName.toLowerCase();
    if (kind === "a") {
      if (name === "data-fsc-item-link") el.setAttribute("href", text);
      else el.innerHTML = text;
    } else if (kind === "input" || kind === "button") {
      el.value = text; // a button's label is not changed
    } else if (kind === "select") {
      var option = el[text - 1];
      if (option) option.setAttribute("selected", true);
    } else if (kind === "img") {
      el.setAttribute("src", text);
    } else if (kind === "div") {
      // nothing is written into a <div>
    } else {
      if (prop.indexOf("Value") > -1) {
        el.value = "";
        el.setAttribute("data-fsc-item-" + prop, text);
      }
      el.innerHTML = text;
    }
    var smart = el.getAttribute("data-fsc-smartdisplay");
    if (smart !== null && (name === "data-fsc-item-price" || name === "data-fsc-item-pricetotal")) {
      // An empty value targets the element; otherwise the first element with that attribute.
      var target = smart === "" ? el : doc.querySelector("[" + smart + "]");
      if (target) show(target, discounted);
    }
    if (el.hasAttribute("data-fsc-callback") && typeof win[el.getAttribute("data-fsc-callback")] === "function") {
      // SBL behaviour §5.1: data-fsc-callback is broken in this build: setAttribute is called
      // with the attribute name only, which throws a TypeError.
      el.setAttribute("data-fsc-callback");
    }
  }

  // SBL behaviour §5.3: the selections directives, keyed on whether the cart has selections.
  var SELECTION_DIRECTIVES = [
    "smartselect",
    "smartdisplay",
    "smartdisplay-inverse",
    "hideifselections",
    "showifselections",
    "hideifnoselections",
    "showifnoselections",
    "smartdisable",
    "smartdisable-inverse",
    "disableifselections",
    "disableifnoselectios", // this exact misspelling is what the real library checks
    "enableifselections",
    "enableifnoselections",
  ];

  function selectionDirectives(value) {
    var sel = SELECTION_DIRECTIVES.map(function (d) {
      return "[data-fsc-selections-" + d + "]";
    }).join(",");
    each(doc.querySelectorAll(sel), function (el) {
      var a = function (name) {
        return el.hasAttribute("data-fsc-selections-" + name);
      };
      if (a("smartselect") && isChoice(el)) el.checked = value === true;
      if (a("smartdisplay")) show(el, value === true);
      if (a("smartdisplay-inverse")) show(el, value !== true);
      if (a("hideifselections") && value === true) show(el, false);
      if (a("showifselections") && value === true) show(el, true);
      if (a("hideifnoselections") && value === false) show(el, false);
      if (a("showifnoselections") && value === false) show(el, true);
      if (a("smartdisable")) disable(el, value === false);
      if (a("smartdisable-inverse")) disable(el, value === true);
      if (a("disableifselections") && value === true) disable(el, true);
      if (a("disableifnoselectios") && value === false) disable(el, true);
      if (a("enableifselections") && value === true) disable(el, false);
      if (a("enableifnoselections") && value === false) disable(el, false);
    });
    // data-fsc-checkout-hideempty: <a> and <div> are hidden/shown, others disabled/enabled.
    if (value === true || value === false) {
      each(doc.querySelectorAll("[data-fsc-checkout-hideempty]"), function (el) {
        var kind = el.tagName.toLowerCase();
        if (kind === "a") show(el, value, "inline");
        else if (kind === "div") show(el, value);
        else disable(el, !value);
      });
    }
  }

  // SBL behaviour §5.3: order-level directives, data-fsc-order-<property>.
  function orderDirective(prop, value) {
    if (prop === "taxExemptionAllowed") {
      each(doc.querySelectorAll("[data-fsc-smartdisplay][data-fsc-order-taxid]"), function (el) {
        show(el, !!value);
      });
    }
    if (prop === "availablePaymentMethods") {
      var sel = "[data-fsc-smartdisplay][data-fsc-order-paypal-available]";
      each(doc.querySelectorAll(sel), function (el) {
        show(el, value.indexOf("paypal") !== -1);
      });
    }
    if (prop === "selections") selectionDirectives(value);
    var name = prop;
    if (prop === "coupons") {
      name = "promocode"; // the first coupon, or ''
      value = value[0] || "";
    }
    each(doc.querySelectorAll("[data-fsc-order-" + name + "]"), function (el) {
      writeValue(name, value, el, "data-fsc-order-" + name);
    });
  }

  // ------------------------------------------------------------------ markup actions, §4

  // SBL behaviour §4.1: these exact values, or any value containing a comma. A lone "Clean"
  // is not among them, so it is never bound.
  var BOUND_EXACTLY = [
    "Add",
    "Update",
    "Remove",
    "Replace",
    "Promocode",
    "Reset",
    "Recognize",
    "PostalCode",
    "Checkout",
    "PaypalCheckout",
    "TaxId",
    "ViewCart",
  ];
  var ACTION_SELECTOR = BOUND_EXACTLY.map(function (name) {
    return '[data-fsc-action="' + name + '"]';
  })
    .concat(["[data-fsc-action*=',']"])
    .join(",");
  var CHANGE_INPUTS = ["checkbox", "radio", "search", "text"];

  // SBL behaviour §4.1: each match is replaced by a clone carrying the listener (listeners the
  // page attached are lost); this runs again after every response.
  function bindActions() {
    record.bindings += 1;
    var found = doc.querySelectorAll(ACTION_SELECTOR);
    record.bound = found.length;
    each(found, function (original) {
      var el = original.cloneNode(true);
      var kind = el.tagName.toLowerCase();
      var onAction = function () {
        runActions(el);
      };
      if (kind === "a") {
        el.addEventListener("click", onAction, false);
        el.addEventListener("click", function (e) {
          e.preventDefault();
        });
      } else if (
        kind === "select" ||
        kind === "textarea" ||
        (kind === "input" && CHANGE_INPUTS.indexOf(el.type.toLowerCase()) > -1)
      ) {
        el.addEventListener("change", onAction, false);
      } else {
        el.addEventListener("click", onAction, false);
      }
      original.parentNode.replaceChild(el, original);
    });
  }

  // SBL behaviour §4.1: every named action is merged into one push, parsed once.
  function runActions(el) {
    merging = true;
    var value = el.getAttribute("data-fsc-action");
    var names = value.indexOf(",") > -1 ? value.split(",") : [value];
    names.forEach(function (name) {
      name = name.trim();
      if (has(actions, name)) actions[name](el); // unknown names are ignored
    });
    merging = false;
    parseInput(pending);
  }

  // SBL behaviour §4.3: the first element in the whole document with data-fsc-<tag>-value;
  // its .value if truthy, else its innerHTML, else ''. The attribute's own value is not read.
  function findValue(tagName, ofItem) {
    var sel = "[data-fsc-" + tagName + "-value]";
    if (ofItem) sel += "[data-fsc-item-path-value='" + ofItem + "']";
    var el = doc.querySelectorAll(sel)[0];
    if (el !== undefined) {
      if (el.value) return el.value;
      if (el.innerHTML) return el.innerHTML;
    }
    return "";
  }

  function isCheckbox(el) {
    return el.tagName.toLowerCase() === "input" && el.type.toLowerCase() === "checkbox";
  }

  // SBL behaviour §4.3 "How Update chooses the quantity".
  function updateQuantity(el) {
    var path = el.getAttribute("data-fsc-item-path-value");
    var quantity;
    if (isCheckbox(el) && !el.checked) {
      quantity = 0;
    } else {
      var own = el.getAttribute("data-fsc-item-quantity-value");
      var sourceId = el.getAttribute("data-fsc-quantity-src");
      if (own !== null && own > 0) {
        quantity = own; // numeric comparison: "0", negatives and non-numbers are ignored
      } else if (sourceId !== null && sourceId.length > 0) {
        var source = doc.getElementById(sourceId);
        var sourceOwn = source.getAttribute("data-fsc-item-quantity-value"); // throws if missing
        var kind = source.tagName.toLowerCase();
        if ((kind === "input" && !isCheckbox(source)) || kind === "select") quantity = source.value;
        else if (kind === "input") quantity = source.checked ? 1 : 0;
        else if (sourceOwn !== "null" && sourceOwn > 0) quantity = sourceOwn;
        else quantity = findValue("item-quantity", path);
      } else {
        // A <button> finds itself here: its .value is empty, so its label is read.
        quantity = findValue("item-quantity", path);
      }
      quantity = quantity || 1;
    }
    methods.update(path, quantity); // parseInt: NaN goes on the wire as null
  }

  // SBL behaviour §4.2: what each action does.
  var actions = {
    Add: function (el) {
      methods.add(el.getAttribute("data-fsc-item-path-value")); // quantity attributes ignored
    },
    Replace: function (el) {
      methods.add(el.getAttribute("data-fsc-item-path-value")); // the same as Add
    },
    Update: updateQuantity,
    Remove: function (el) {
      methods.update(el.getAttribute("data-fsc-item-path-value"), 0);
    },
    Promocode: function () {
      methods.promo(findValue("promocode"));
    },
    PostalCode: function () {
      methods.postalCode(findValue("postalcode"));
    },
    TaxId: function () {
      methods.taxId(findValue("taxid"));
    },
    Recognize: function () {
      var first = findValue("firstname");
      var last = findValue("lastname");
      var email = findValue("email");
      methods.recognize(email, first, last);
    },
    Reset: function () {
      methods.reset();
    },
    Clean: function () {
      methods.clean(); // reachable only inside a comma list
    },
    Checkout: function () {
      var session = findValue("session");
      if (session.length < 10) methods.checkout();
      else methods.checkout(session);
    },
    PaypalCheckout: function () {
      methods.payment("paypal");
    },
    ViewCart: function () {
      methods.viewCart();
    },
  };

  // ------------------------------------------------------------------ public methods, §2.1

  var CONTACT_KEYS = ["firstName", "lastName", "email", "company", "addressLine1", "addressLine2",
    "city", "region", "country", "postalCode", "phoneNumber"];
  var RECIPIENT_KEYS = ["firstName", "lastName", "email", "company", "memo", "phoneNumber"];
  var ADDRESS_KEYS = ["addressLine1", "addressLine2", "city", "region", "country", "postalCode"];

  function noCallbackHere(args, name) {
    // SBL behaviour §2.1: these two throw when their last argument is a function.
    if (typeof args[args.length - 1] === "function") {
      throw new TypeError("Cannot read properties of undefined (reading 'pop') in " + name);
    }
  }

  function pick(values, keys) {
    var out = {};
    for (var key in values) if (has(values, key) && keys.indexOf(key) !== -1) out[key] = values[key];
    return out;
  }

  var methods = {
    // SBL behaviour §2.2: before init, or while a markup action runs, a push is merged into
    // the pending session and its callback dropped.
    push: function (input, cb) {
      if (!initialised || merging) {
        pending = foldInto(pending, input);
        if (cb) debug("Unexpected callback sent to push");
      } else {
        parseInput(input, cb);
      }
    },
    add: function (path, cb) {
      methods.update(path, null, cb); // parseInt(null) is NaN: null on the wire, catalog default
    },
    update: function (path, quantity, cb) {
      methods.push({ products: [{ path: path, quantity: parseInt(quantity, 10) }] }, cb);
    },
    remove: function (path, cb) {
      methods.push({ products: [{ path: path, quantity: 0 }] }, cb);
    },
    promo: function (code, cb) {
      methods.push({ coupon: code }, cb);
    },
    postalCode: function (code, cb) {
      methods.push({ postalCode: code }, cb);
    },
    postalcode: function (code, cb) {
      methods.push({ postalCode: code }, cb);
    },
    taxId: function (id, cb) {
      methods.push({ taxId: id }, cb);
    },
    country: function (country, cb) {
      methods.push({ country: country }, cb);
    },
    language: function (language, cb) {
      methods.push({ language: language }, cb);
    },
    tag: function (key, value, cb) {
      var tags = {};
      if (typeof key === "object") {
        for (var k in key) if (has(key, k)) tags[k] = key[k];
      } else {
        tags[key] = value;
      }
      methods.push({ tags: tags }, cb);
    },
    // SBL behaviour §2.1: a session id only if longer than 10 characters.
    checkout: function (session, cb) {
      if (session && session.length > 10) methods.push({ checkout: session }, cb);
      else methods.push({ checkout: true }, cb);
    },
    viewCart: function (cb) {
      methods.push({ cartViewEnabled: true, checkout: true }, cb);
    },
    payment: function (method, cb) {
      methods.push({ paymentMethod: method, checkout: true }, cb);
    },
    reset: function (cb) {
      methods.push({ reset: true }, cb);
    },
    clean: function (cb) {
      methods.push({ clean: true }, cb);
    },
    updateSession: function (cb) {
      methods.push({ close: true }, cb);
    },
    // SBL behaviour §2.1, §3: `key` is added only if it is truthy, so secure(p, '') means
    // "key absent" (fscSession.secure with key '' means "key present").
    secure: function (payload, key, cb) {
      var request = { secure: { payload: payload } };
      if (key) request.secure.key = key;
      methods.push(request, cb);
    },
    authenticate: function (payload, key, cb) {
      var request = { authenticate: { payload: payload } };
      if (key) request.authenticate.key = key;
      methods.push(request, cb);
    },
    recognize: function () {
      if (!arguments.length) return;
      noCallbackHere(arguments, "recognize");
      var values = arguments[0];
      if (typeof values !== "object") {
        // the older recognize(email, firstName, lastName)
        values = {
          email: arguments[0],
          firstName: arguments.length > 0 && arguments[1],
          lastName: arguments.length > 1 && arguments[2],
        };
      }
      methods.push({ paymentContact: pick(values, CONTACT_KEYS) });
    },
    recognizeRecipients: function () {
      if (!arguments.length) return;
      noCallbackHere(arguments, "recognizeRecipients");
      var values = arguments[0];
      var recipient = pick(values, RECIPIENT_KEYS);
      if (values && has(values, "address")) recipient.address = pick(values.address, ADDRESS_KEYS);
      methods.push({ recipient: recipient });
    },
    _uninstall: function () {
      queue.splice(0, queue.length);
      destroyPopup();
      if (tag && tag.parentNode) tag.parentNode.removeChild(tag);
      delete win._f;
      delete win.fastspring;
    },
    // deprecated, SBL behaviour §5.4
    Recompile: function (name, filter) {
      if (typeof filter === "object") {
        filter = Object.keys(filter)
          .map(function (k) {
            return k + "='" + filter[k] + "'";
          })
          .join(";");
      }
      markup.containers.forEach(function (box, i) {
        if (box.name !== name) return;
        var source = doc.querySelector("[data-fsc-template-for='" + name + "']");
        if (!source) return;
        box.filter = filter;
        markup.templates[i] = win.Handlebars.compile(source.innerHTML);
        applyDirectives(markup.data);
        callback("afterMarkup");
      });
    },
  };

  // The object pages see as fastspring.builder: each call is recorded, then run.
  var builder = {};
  Object.keys(methods).forEach(function (name) {
    builder[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      record.calls.push([name].concat(copy(args)));
      return methods[name].apply(null, args);
    };
  });
  // SBL behaviour §2.1: capitalised aliases log a deprecation warning.
  ["Add", "Push", "Authenticate", "Checkout", "Clean", "Country", "Language", "Tag", "Secure",
    "Remove", "Promo", "Update", "Recognize", "Reset", "PostalCode"].forEach(function (alias) {
    var lower = alias.toLowerCase();
    Object.defineProperty(builder, alias, {
      enumerable: false,
      get: function () {
        console.log("Warning: '" + alias + "' is deprecated, please use '" + lower + "' instead");
        return builder[lower];
      },
    });
  });

  // ------------------------------------------------------------------ start, SBL behaviour §1.3

  try {
    // 2. the DOMContentLoaded listener, registered at execution time
    doc.addEventListener("DOMContentLoaded", function () {
      initMarkup();
      processMarkup();
    }, false);
    // 3. init: attributes, storefront type, URL check, and the first builder request now
    readTag();
    classify();
    if (checkoutMode === "popup" && !inline) {
      // SBL behaviour §1.4: the spinner is created (and so fetched) at load time.
      popup.spinner = doc.createElement("img");
      popup.spinner.src = SPINNER_URL;
      record.resources.push({ kind: "spinner", url: SPINNER_URL });
    }
    if (checkoutMode !== "inapp") reopenFromUrl();
    parseInput(pending);
    initialised = true;
    // 4. the stylesheet, except for embedded storefronts
    if (!inline) {
      try {
        var css = scriptFolder() + "/fastspring.css";
        var link = doc.createElement("link");
        link.href = css;
        link.rel = "stylesheet";
        doc.getElementsByTagName("head")[0].appendChild(link);
        record.resources.push({ kind: "stylesheet", url: css });
      } catch (e) {
        fail("Failed to load css.", e);
      }
    }
    // 5. the embedded container poll
    if (inline) watchForContainer();
    // 6. only now do window.fastspring and the deprecated window._f exist
    var api = {};
    Object.defineProperty(api, "builder", {
      enumerable: true,
      configurable: true,
      get: function () {
        return builder;
      },
    });
    Object.defineProperty(win, "fastspring", {
      enumerable: true,
      configurable: true,
      get: function () {
        return api;
      },
    });
    Object.defineProperty(win, "_f", {
      configurable: true,
      get: function () {
        console.log("Warning: '_f' is deprecated, please use 'fastspring.builder' instead");
        return builder;
      },
    });
  } catch (e) {
    record.failed = String(e);
    throw e;
  } finally {
    record.loaded = true;
  }
})(window, document);
