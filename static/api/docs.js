/* API documentation page: « Essayer » forms send the request and show the JSON answer in the page.
   Without JavaScript the forms of GET operations without path parameters still open the JSON. */
(function () {
  "use strict";

  function buildUrl(form) {
    var path = form.getAttribute("data-path");
    var missing = false;
    form.querySelectorAll("[data-path-parameter]").forEach(function (input) {
      var value = input.value.trim();
      if (!value) { missing = true; }
      path = path.replace("{" + input.getAttribute("data-path-parameter") + "}", encodeURIComponent(value));
    });
    if (missing) { return null; }
    var params = new URLSearchParams();
    form.querySelectorAll("input[name]").forEach(function (input) {
      input.value.split(",").forEach(function (value) {
        value = value.trim();
        if (value) { params.append(input.name, value); }
      });
    });
    var query = params.toString();
    return path + (query ? "?" + query : "");
  }

  function show(result, text) {
    result.textContent = text;
    result.hidden = false;
  }

  document.querySelectorAll("form.api-try").forEach(function (form) {
    if (form.querySelector("[data-path-parameter]") || form.hidden) { form.hidden = false; }
    var result = form.querySelector(".api-result");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = buildUrl(form);
      if (!url) { show(result, "Renseignez les paramètres de chemin."); return; }
      show(result, "GET " + url + " …");
      fetch(url, { headers: { "Accept": "application/json" } })
        .then(function (response) {
          return response.text().then(function (body) {
            var pretty = body;
            try { pretty = JSON.stringify(JSON.parse(body), null, 2); } catch (error) { /* not JSON */ }
            show(result, "GET " + url + "\nHTTP " + response.status + "\n\n" + pretty);
          });
        })
        .catch(function (error) { show(result, "GET " + url + "\n" + error); });
    });
  });
})();
