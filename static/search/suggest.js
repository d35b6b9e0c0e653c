/*
 * Search box suggestions (progressive enhancement): any element with `data-suggest-url` containing an
 * <input name="q"> becomes an ARIA 1.2 combobox listing up to 8 page titles from the JSON endpoint
 * (`[{title, url}]`). Without JavaScript the form simply submits to the search page.
 * Keys: ↓/↑ move in the list, Enter opens the highlighted page, Escape closes the list.
 */
(function () {
  "use strict";

  var DELAY = 150;
  var MIN_LENGTH = 2;
  var counter = 0;

  function enhance(container) {
    var input = container.querySelector("input[name='q']");
    var url = container.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch) return;

    counter += 1;
    var listId = "search-suggestions-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggest__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", document.documentElement.lang === "en" ? "Suggestions" : "Suggestions de pages");
    list.hidden = true;
    container.appendChild(list);

    var status = document.createElement("p");
    status.className = "fr-sr-only";
    status.setAttribute("role", "status");
    container.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";
    var controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role='option']");
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.className = "search-suggest__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = suggestion.title; // text only: titles are never parsed as HTML
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.assign(suggestion.url);
        });
        list.appendChild(option);
      });
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      var en = document.documentElement.lang === "en";
      status.textContent = suggestions.length
        ? suggestions.length + (en ? " suggestions available" : " suggestions disponibles")
        : "";
      active = -1;
    }

    function load() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < MIN_LENGTH) {
        render([]);
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (suggestions) {
          if (input.value.trim() === query) render(Array.isArray(suggestions) ? suggestions.slice(0, 8) : []);
        })
        .catch(function () {
          /* offline or aborted: the form still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].url);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  var containers = document.querySelectorAll("[data-suggest-url]");
  for (var i = 0; i < containers.length; i++) enhance(containers[i]);
})();
