/*
 * Wagtail 8's autosave and the editor's own buttons, one request at a time (docs/decisions/0008-autosave.md).
 *
 * On a new page, the first autosave creates the page; only when its answer arrives does the form post to the
 * page's edit view. A click on « Enregistrer le brouillon » or « Soumettre à Relecture DGAL » while that
 * autosave is on its way posted the form to the create view a second time: a second page with the same slug,
 * refused (« Le slug … est déjà utilisé »), and the editor stuck on an error with an orphan draft.
 *
 * This script holds such a click until the autosave in flight has answered, then sends it (to the edit view
 * by then). Once the form is really submitted, autosave stops, so no late autosave races the submission.
 */
(function () {
  "use strict";

  var FORM = "form[data-edit-form]";
  var held = new WeakMap(); // form -> {name, value} of the button whose click waits for the autosave

  function editForm(event) {
    var target = event.target;
    return target instanceof HTMLFormElement && target.matches(FORM) ? target : null;
  }

  function resume(event) {
    var form = editForm(event);
    if (!form) return;
    form.removeAttribute("data-autosave-in-flight");
    var submitter = held.get(form);
    if (!submitter) return;
    held.delete(form);
    if (submitter.name) {
      // The button may have been disabled by its progress indicator: carry its name and value ourselves.
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = submitter.name;
      input.value = submitter.value;
      form.appendChild(input);
    }
    form.requestSubmit();
  }

  document.addEventListener("w-autosave:save", function (event) {
    var form = editForm(event);
    if (form && !event.defaultPrevented) form.setAttribute("data-autosave-in-flight", "");
  });
  document.addEventListener("w-autosave:success", resume);
  document.addEventListener("w-autosave:error", resume);
  // Capture, on the document: before Wagtail's own submit listeners on the form.
  document.addEventListener(
    "submit",
    function (event) {
      var form = editForm(event);
      if (!form) return;
      if (form.hasAttribute("data-autosave-in-flight")) {
        event.preventDefault();
        event.stopPropagation();
        var button = event.submitter;
        held.set(form, { name: button ? button.name : "", value: button ? button.value : "" });
        return;
      }
      // Submitted for real: no autosave from now on (it would post to the same URL as this submission).
      form.setAttribute("data-w-autosave-active-value", "false");
    },
    true
  );
})();
