/*! sblgen loader: hands sblgen's JSON blocks to FastSpring's Store Builder Library without
 * inline JavaScript (for pages whose Content-Security-Policy forbids inline scripts).
 *
 * Place it after the <script type="application/json" data-sblgen="..."> blocks it should
 * read and before the SBL's <script id="fsc-api"> tag. Blocks added to the page later are
 * picked up too. Each block is applied once:
 *   data-sblgen="session"  merged into window.fscSession (read by the SBL when it runs), or
 *                          fastspring.builder.push(...) once the SBL has run
 *   data-sblgen="push"     fastspring.builder.push(...)   (or merged into fscSession)
 *   data-sblgen="secure"   fastspring.builder.secure(...) (or merged into fscSession)
 *
 * The apply function between the markers below is also the runtime of sblgen's inline
 * snippets (one source). Before the SBL runs, data is merged into fscSession the way the SBL
 * merges pushes itself: "products" appended (at any depth), objects merged key by key,
 * everything else replaced; a second secure payload is refused rather than mixed with the
 * first one's key. Several snippets on one page load the SBL once: a second
 * <script id="fsc-api"> is taken out before it runs (its data-* attributes the first tag
 * lacks are moved to the first tag while the SBL has not run yet), and a second empty
 * <div id="fsc-embedded-checkout-container"> is taken out too (the SBL draws an embedded
 * checkout in the first one; a second one would only repeat the id).
 */
(function (w, d) {
  "use strict";
  var apply = /*sblgen:apply*/function(w,d,o,a){var P=Object.prototype.hasOwnProperty,C=w.console;function g(){var b=w.fastspring&&w.fastspring.builder;if(!b)return!1;if(o==="secure")b.secure(a.payload,a.key);else b.push(a);return!0}function m(t,s){for(var k in s)if(P.call(s,k))try{if(k==="products")t.products=(t.products||[]).concat(s.products);else if(typeof t[k]==="object")t[k]=m(t[k],s[k]);else t[k]=s[k]}catch(e){t[k]=s[k]}return t}function f(){var s=w.fscSession||(w.fscSession={}),x=o==="secure"?{secure:a}:a,y={},k;if(x.secure&&s.secure){C&&C.error("sblgen: a second secure payload before the SBL loads; only the first is kept");for(k in x)if(P.call(x,k)&&k!=="secure")y[k]=x[k];x=y}m(s,x)}function u(){if(w.__sblgenGuard||!w.MutationObserver||d.readyState!=="loading")return;w.__sblgenGuard=1;var q=new MutationObserver(function(r){for(var i=0;i<r.length;i++)for(var j=0,n,t,l,x;(n=r[i].addedNodes[j]);j++)if(n.nodeName==="SCRIPT"&&n.id==="fsc-api"&&(t=d.querySelector("script#fsc-api"))!==n&&n.parentNode){for(l=0;(x=n.attributes[l]);l++)if(x.name.indexOf("data-")===0&&t.getAttribute(x.name)!==x.value){if(t.hasAttribute(x.name)||w.fastspring)C&&C.error("sblgen: the page loads the Store Builder Library once; a second SBL tag's "+x.name+'="'+x.value+'" was ignored');else t.setAttribute(x.name,x.value)}n.parentNode.removeChild(n)}else if(n.id==="fsc-embedded-checkout-container"&&d.getElementById(n.id)!==n&&n.parentNode)n.parentNode.removeChild(n)});q.observe(d.documentElement,{childList:!0,subtree:!0});d.addEventListener("DOMContentLoaded",function(){q.disconnect()})}u();if(o==="guard")return;if(o==="session"){if(!g())f();return w.fscSession}if(g())return;if(!d.getElementById("fsc-api")){f();return}var n=0,i=setInterval(function(){if(g())clearInterval(i);else if(++n>600){clearInterval(i);C&&C.error("sblgen: the Store Builder Library did not load; nothing was sent")}},50)}/*sblgen:end*/;

  if (w.__sblgenLoader) {
    w.__sblgenLoader(); // a second copy of the loader on the page: the first one reads
    return;             // every block (and takes out a second SBL tag)
  }

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
      if (op === "session" || op === "push" || op === "secure") {
        apply(w, d, op, data);
      }
    }
  }

  w.__sblgenLoader = scan;
  apply(w, d, "guard", null);
  scan();
  if (w.MutationObserver) {
    new MutationObserver(scan).observe(d.documentElement, { childList: true, subtree: true });
  }
})(window, document);
