/* « Copier » on mail templates (progressive enhancement): without JavaScript, or without the Clipboard API,
   the button is simply not there. Loaded with <script src defer> (no inline script, see the CSP). */
(function () {
  "use strict";
  if (window.maCantineCopyMail || !navigator.clipboard || !window.isSecureContext) {
    return;
  }
  window.maCantineCopyMail = true;

  function text(element) {
    return element ? element.textContent.replace(/\s+$/, "") : "";
  }

  document.querySelectorAll("[data-copy-mail]").forEach(function (group) {
    var card = group.closest(".mail-template");
    var status = card && card.querySelector("[data-copy-status]");
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fr-btn fr-btn--tertiary fr-icon-clipboard-line";
    button.textContent = group.dataset.copyLabel;
    item.appendChild(button);
    group.appendChild(item);

    button.addEventListener("click", function () {
      var subject = text(card.querySelector("[data-mail-subject]"));
      var body = text(card.querySelector("[data-mail-body]"));
      var content = group.dataset.subjectLabel + " : " + subject + "\n\n" + body + "\n";
      navigator.clipboard.writeText(content).then(function () {
        button.textContent = group.dataset.copiedLabel;
        if (status) {
          status.textContent = group.dataset.copiedLabel;
        }
        window.setTimeout(function () {
          button.textContent = group.dataset.copyLabel;
          if (status) {
            status.textContent = "";
          }
        }, 3000);
      });
    });
  });
})();
