/* ma cantine's widget in one line, on another site:
   <script src="https://…/static/territories/embed.js" data-widget="https://…/widget/<uuid>/" data-title="…" async></script>
   inserts the widget's <iframe> where the script is, and sets its height to its content's (the widget sends it with
   postMessage; only messages from the widget's own origin and iframe are heard). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.widget) return;
  var source = new URL(script.dataset.widget, script.src);
  var frame = document.createElement("iframe");
  frame.src = source.href;
  frame.title = script.dataset.title || "ma cantine";
  frame.loading = "lazy";
  frame.style.border = "0";
  frame.style.width = "100%";
  frame.style.height = (script.dataset.height || "600") + "px";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== source.origin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === "ma-cantine-widget" && typeof data.height === "number" && data.height > 0) {
      frame.style.height = Math.min(Math.max(data.height, 200), 5000) + "px";
    }
  });
})();
