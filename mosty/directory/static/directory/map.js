/* Directory map: district outlines/centres and service markers, with tiles only when the
   operator configured a tile server. No inline script (CSP): data comes from data-* and
   <script type="application/json"> blocks. */
(function () {
  "use strict";
  var el = document.getElementById("directory-map");
  if (!el || typeof L === "undefined") { return; }

  function readJson(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : [];
  }
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span.innerHTML;
  }

  var map = L.map(el, { scrollWheelZoom: false, keyboard: true });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: text(el.dataset.attribution) }).addTo(map);
  }
  var bounds = L.latLngBounds([]);
  readJson(el.dataset.districts).forEach(function (d) {
    if (d.outline) {
      var layer = L.geoJSON(d.outline, { style: { color: "#6c757d", weight: 1, fillOpacity: 0.05 } });
      layer.bindTooltip(text(d.name));
      layer.addTo(map);
      bounds.extend(layer.getBounds());
    } else if (d.lat != null && d.lon != null) {
      L.circleMarker([d.lat, d.lon], { radius: 4, color: "#6c757d", weight: 1 })
        .bindTooltip(text(d.name)).addTo(map);
      bounds.extend([d.lat, d.lon]);
    }
  });

  var openLabel = el.dataset.openLabel || "Open";
  var status = document.getElementById("directory-map-status");
  function addPoints(points) {
    var markers = L.featureGroup();
    points.forEach(function (p) {
      var marker = L.marker([p.lat, p.lon], { title: p.name, alt: p.name, keyboard: true });
      var html = "<strong>" + text(p.name) + "</strong>";
      if (p.location_name && p.location_name !== p.name) { html += "<br>" + text(p.location_name); }
      if (p.address) { html += "<br>" + text(p.address); }
      if (p.url) { html += '<br><a class="directory-map-open" href="' + encodeURI(p.url) + '">' + text(openLabel) + "</a>"; }
      marker.bindPopup(html);
      markers.addLayer(marker);
    });
    markers.addTo(map);
    if (points.length) { bounds.extend(markers.getBounds()); }
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); }
    else { map.setView([54.35, 18.65], 11); }
    el.dataset.ready = "1";
  }

  if (el.dataset.pointsUrl) {
    fetch(el.dataset.pointsUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        addPoints(data.points || []);
        if (status) {
          status.textContent = (data.truncated ? el.dataset.truncatedLabel : el.dataset.countLabel || "")
            .replace("{count}", String((data.points || []).length));
        }
      })
      .catch(function () { if (status) { status.textContent = el.dataset.errorLabel || ""; } addPoints([]); });
  } else {
    addPoints(readJson(el.dataset.points));
  }
})();
