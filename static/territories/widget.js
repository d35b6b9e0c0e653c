/* Inside the embedded widget (/widget/<uuid>/): tell the page that framed it our height, for
   static/territories/embed.js to resize the iframe. Nothing is read from the parent. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "ma-cantine-widget", height: height, url: location.href }, "*");
  }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.body);
  setInterval(send, 1000);
})();
