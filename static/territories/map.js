/* The canteens' map: enhances a page whose list already says everything (no JavaScript: the list alone).
   Markup: templates/territories/_map.html. Markers come as GeoJSON from /api/v1/canteens/geo/ (cached, ETag),
   clustered by Leaflet.markercluster; each marker's popup gives the canteen's name, commune, sectors, last
   published rates and a link to its page. Without a base layer (MAP_TILES_URL empty) the markers show on a plain
   background. */
(function () {
  "use strict";

  var COLOURS = { met: "#18753c", declared: "#000091", other: "#666666" };

  function status(properties) {
    if (properties.objectives_met) return "met";
    if (properties.declared) return "declared";
    return "other";
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function rate(value, lang) {
    if (value === null || value === undefined) return "—";
    return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(value) + " %";
  }

  function popup(feature, labels, lang, container) {
    var p = feature.properties;
    var box = element("div", null, "territories-popup");
    var title = element("p", null, "fr-text--bold fr-mb-1v");
    var link = element("a", p.name);
    link.href = (container.dataset.siteUrl || "") + labels.canteenUrl.replace("/0-", "/" + feature.id + "-");
    if (container.dataset.linkTarget) {
      link.target = container.dataset.linkTarget;
      link.rel = "noopener";
    }
    title.appendChild(link);
    box.appendChild(title);
    box.appendChild(element("p", labels.commune + " : " + p.city + " (" + p.commune + ")", "fr-text--sm fr-mb-1v"));
    var sectors = (p.sectors || []).map(function (code) { return labels.sectors[code] || code; }).join(", ");
    box.appendChild(element("p", labels.sectorsLabel + " : " + sectors, "fr-text--sm fr-mb-1v"));
    box.appendChild(element("p", labels.year + " : " + (p.year || "—") + " — " + labels.bio + " " + rate(p.bio, lang) +
      ", " + labels.egalim + " " + rate(p.egalim, lang), "fr-text--sm fr-mb-1v"));
    box.appendChild(element("p", p.objectives_met ? labels.met : labels.notMet, "fr-text--sm fr-mb-1v"));
    if (p.declared) box.appendChild(element("p", labels.declared, "fr-text--sm fr-mb-1v"));
    if (p.approximate) box.appendChild(element("p", labels.approximate, "fr-text--xs fr-mb-0"));
    return box;
  }

  function init(container) {
    if (!window.L || !L.markerClusterGroup) return;
    var labels = JSON.parse(container.dataset.labels || "{}");
    var lang = container.dataset.lang || document.documentElement.lang || "fr";
    container.hidden = false;
    var legend = container.parentNode.querySelector(".territories-map-legend");
    if (legend) legend.hidden = false;
    var map = L.map(container, { zoomSnap: 0.5, minZoom: 2, maxZoom: 18 });
    if (container.dataset.tiles) {
      L.tileLayer(container.dataset.tiles, { attribution: container.dataset.attribution, maxZoom: 18 }).addTo(map);
    } else {
      container.classList.add("territories-map--plain");
    }
    var bounds = container.dataset.bounds ? JSON.parse(container.dataset.bounds) : null;
    if (bounds) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 });
    } else {
      map.setView([46.6, 2.4], 5.5); // metropolitan France
    }
    var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 });
    fetch(container.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var markers = data.features.map(function (feature) {
          var c = feature.geometry.coordinates;
          var marker = L.circleMarker([c[1], c[0]], {
            radius: 7, weight: 2, color: "#ffffff", fillColor: COLOURS[status(feature.properties)], fillOpacity: 0.95,
            className: "territories-marker"
          });
          marker.bindPopup(function () { return popup(feature, labels, lang, container); });
          return marker;
        });
        clusters.addLayers(markers);
        map.addLayer(clusters);
        if (!bounds && markers.length && container.dataset.fit === "1") map.fitBounds(clusters.getBounds());
        var count = container.parentNode.querySelector(".territories-map-count");
        if (count) count.textContent = labels.count.replace("%(count)s", new Intl.NumberFormat(lang).format(markers.length));
        container.dataset.loaded = String(markers.length);
      })
      .catch(function (error) {
        if (window.console) console.error(error);
        var message = element("p", labels.error, "fr-error-text");
        container.parentNode.insertBefore(message, container);
        container.hidden = true;
      });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".territories-map[data-geojson]"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/* A canteen's pin (templates/territories/position.html): dragging the marker fills the latitude and longitude. */
(function () {
  "use strict";
  function start() {
    var container = document.querySelector(".territories-map--pin");
    if (!container || !window.L) return;
    container.hidden = false;
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    var position = container.dataset.pin ? JSON.parse(container.dataset.pin) : [46.6, 2.4];
    var map = L.map(container, { minZoom: 2, maxZoom: 18 }).setView(position, container.dataset.pin ? 14 : 5);
    if (container.dataset.tiles) {
      L.tileLayer(container.dataset.tiles, { attribution: container.dataset.attribution, maxZoom: 18 }).addTo(map);
    } else {
      container.classList.add("territories-map--plain");
    }
    var icon = L.divIcon({ className: "territories-pin", iconSize: [18, 18] });
    var marker = L.marker(position, { draggable: true, icon: icon, keyboard: false }).addTo(map);
    marker.on("dragend", function () {
      var at = marker.getLatLng();
      latitude.value = at.lat.toFixed(6);
      longitude.value = at.lng.toFixed(6);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
