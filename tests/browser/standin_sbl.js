/* A stand-in for FastSpring's Store Builder Library, for sblgen's browser tests.
 * It records what the page hands the SBL and calls nothing on the network:
 *   window.__sbl.initial  a deep copy of window.fscSession when the library loaded
 *   window.__sbl.calls    every fastspring.builder.<method>(...) call, [name, ...args]
 *   window.__sbl.data     the data-* attributes of <script id="fsc-api">
 */
(function () {
  "use strict";
  var tag = document.getElementById("fsc-api");
  var rec = (window.__sbl = {
    loaded: true,
    initial: window.fscSession === undefined ? null : JSON.parse(JSON.stringify(window.fscSession)),
    calls: [],
    data: {},
    hasTag: !!tag,
  });
  if (tag) {
    for (var i = 0; i < tag.attributes.length; i++) {
      var a = tag.attributes[i];
      if (a.name.indexOf("data-") === 0) rec.data[a.name] = a.value;
    }
  }
  var methods = ["push", "secure", "add", "update", "remove", "promo", "reset", "clean",
    "checkout", "viewCart", "payment", "country", "language", "postalCode", "taxId", "tag",
    "recognize", "recognizeRecipients", "authenticate"];
  var builder = {};
  methods.forEach(function (name) {
    builder[name] = function () {
      rec.calls.push([name].concat(JSON.parse(JSON.stringify(Array.prototype.slice.call(arguments)))));
    };
  });
  window.fastspring = { builder: builder };
})();
