/*! sblgen confirm-on-close: when FastSpring's checkout popup closes after a purchase, POST
 * only the order id to your server, which re-reads the order from FastSpring and confirms
 * it (nothing else the browser could say is sent, or would be trusted).
 *
 * Load it with data attributes on its own <script> element (inline with a CSP nonce, or as
 * a file from your origin for pages without inline scripts), and name its callback on the
 * SBL tag: data-popup-closed="sblgenConfirmOrder".
 *   data-confirm-url   where to POST {"id": "<order id>"} (application/json, same origin)
 *   data-callback      the global function the SBL calls (default sblgenConfirmOrder)
 *   data-csrf-header   a header to send a CSRF token in (X-CSRFToken for Django), with
 *   data-csrf-token    the token itself, or
 *   data-csrf-cookie   the cookie to read it from (csrftoken for Django)
 * The page hears the outcome as events on document (event.detail is the server's JSON):
 *   sblgen:order-confirmed   the server confirmed the order (HTTP 200)
 *   sblgen:order-refused     a check failed (HTTP 4xx; detail.check names it)
 *   sblgen:order-error       FastSpring or the network failed (5xx, offline): try again
 *   sblgen:order-none        the popup closed without an order
 */
(function (w, d) {
  "use strict";
  var me = d.currentScript;
  if (!me) return;
  var url = me.getAttribute("data-confirm-url");
  var name = me.getAttribute("data-callback") || "sblgenConfirmOrder";
  var header = me.getAttribute("data-csrf-header");
  var token = me.getAttribute("data-csrf-token");
  var cookie = me.getAttribute("data-csrf-cookie");

  function readCookie(wanted) {
    var parts = d.cookie ? d.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i].replace(/^\s+/, "");
      if (part.slice(0, wanted.length + 1) === wanted + "=") {
        return decodeURIComponent(part.slice(wanted.length + 1));
      }
    }
    return null;
  }

  function emit(type, detail) {
    d.dispatchEvent(new CustomEvent("sblgen:" + type, { detail: detail }));
  }

  function outcome(status, body) {
    if (status === 200 && body && body.result === "confirmed") return "order-confirmed";
    if (status >= 400 && status < 500) return "order-refused";
    return "order-error";
  }

  // The SBL calls this with {id, reference} after a completed order and null otherwise.
  w[name] = function (order) {
    var id = order && order.id;
    if (typeof id !== "string" || !id) {
      emit("order-none", null);
      return;
    }
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    var csrf = token || (cookie ? readCookie(cookie) : null);
    if (header && csrf) headers[header] = csrf;
    w.fetch(url, {
      method: "POST",
      headers: headers,
      body: JSON.stringify({ id: id }),
      credentials: "same-origin",
    }).then(
      function (response) {
        return response.json().then(
          function (body) {
            emit(outcome(response.status, body), body);
          },
          function () {
            emit(outcome(response.status, null), {
              result: "error",
              message: "HTTP " + response.status + " without a JSON answer",
            });
          }
        );
      },
      function (err) {
        emit("order-error", { result: "error", message: String(err) });
      }
    );
  };
})(window, document);
