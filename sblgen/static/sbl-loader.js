/*! sblgen loader: hands sblgen's JSON blocks to FastSpring's Store Builder Library without
 * inline JavaScript (for pages whose Content-Security-Policy forbids inline scripts).
 *
 * Place it after the <script type="application/json" data-sblgen="..."> blocks it should
 * read and before the SBL's <script id="fsc-api"> tag. Blocks added to the page later are
 * picked up too. Each block is applied once:
 *   data-sblgen="session"  becomes window.fscSession (read by the SBL when it loads)
 *   data-sblgen="push"     fastspring.builder.push(...)   (or folded into fscSession)
 *   data-sblgen="secure"   fastspring.builder.secure(...) (or folded into fscSession)
 */
(function (w, d) {
  "use strict";
  var apply = /*sblgen:apply*/function(w,d,o,a){function g(){var b=w.fastspring&&w.fastspring.builder;if(!b)return!1;if(o==="secure")b.secure(a.payload,a.key);else b.push(a);return!0}function f(){var s=w.fscSession||(w.fscSession={}),k;if(o==="secure"){s.secure=a;return}for(k in a)if(Object.prototype.hasOwnProperty.call(a,k)){if(k==="products"&&s.products)s.products=s.products.concat(a.products);else if(k==="tags"&&s.tags){for(var t in a.tags)if(Object.prototype.hasOwnProperty.call(a.tags,t))s.tags[t]=a.tags[t]}else s[k]=a[k]}}if(g())return;if(!d.getElementById("fsc-api")){f();return}var n=0,i=setInterval(function(){if(g())clearInterval(i);else if(++n>600){clearInterval(i);w.console&&console.error("sblgen: the Store Builder Library did not load; nothing was sent")}},50)}/*sblgen:end*/;

  function scan() {
    var blocks = d.querySelectorAll('script[type="application/json"][data-sblgen]');
    for (var i = 0; i < blocks.length; i++) {
      var el = blocks[i];
      if (el.getAttribute("data-sblgen-done")) continue;
      el.setAttribute("data-sblgen-done", "1");
      var op = el.getAttribute("data-sblgen"), data;
      try {
        data = JSON.parse(el.textContent);
      } catch (e) {
        if (w.console) console.error("sblgen: a data-sblgen block is not valid JSON", e);
        continue;
      }
      if (op === "session") {
        apply(w, d, "push", data);
      } else if (op === "push" || op === "secure") {
        apply(w, d, op, data);
      }
    }
  }

  scan();
  if (w.MutationObserver) {
    new MutationObserver(scan).observe(d.documentElement, { childList: true, subtree: true });
  }
})(window, document);
