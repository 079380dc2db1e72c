/* Brigade Hub: draws the maps and runs the directory filter, again after each of Material's instant page loads. */
(function () {
  "use strict";

  var maps = [];

  /* One spelling for comparing: full-width to half-width, katakana to hiragana, no case, no spaces or hyphens. */
  function normalise(value) {
    return String(value || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u30a1-\u30f6]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0x60); })
      .replace(/[\s\-_・･]/g, "");
  }

  /* Popups are built from DOM nodes, never innerHTML: the names come from contributors. */
  function popup(point) {
    var box = document.createElement("div");
    var name = document.createElement("a");
    name.href = point.href;
    name.textContent = point.name;
    name.className = "bh-popup__name";
    box.appendChild(name);
    if (point.en) {
      var en = document.createElement("div");
      en.textContent = point.en;
      box.appendChild(en);
    }
    var status = document.createElement("div");
    status.textContent = point.area + " ・ " + point.statusLabel;
    box.appendChild(status);
    if (point.precision !== "exact") {
      var note = document.createElement("div");
      note.className = "bh-popup__approx";
      note.textContent = "位置: " + point.precisionLabel;
      box.appendChild(note);
    }
    return box;
  }

  /* Exact places get Leaflet's pin; approximate ones a dashed circle, so that nobody walks to a city hall. */
  function marker(point) {
    if (point.precision === "exact") {
      return L.marker([point.lat, point.lon], { title: point.name, alt: point.name });
    }
    return L.circleMarker([point.lat, point.lon], {
      radius: point.precision === "city" ? 9 : 13,
      dashArray: "4 3", weight: 2, color: "#3949ab", fillColor: "#7986cb", fillOpacity: 0.35,
      className: "bh-marker--approx bh-marker--" + point.precision
    });
  }

  function drawMap(element) {
    var points = JSON.parse(element.getAttribute("data-points") || "[]");
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.5 });
    L.tileLayer(element.getAttribute("data-tiles"), {
      attribution: element.getAttribute("data-attribution"), maxZoom: 18
    }).addTo(map);
    var layer = L.markerClusterGroup
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
      : L.featureGroup();
    points.forEach(function (point) { layer.addLayer(marker(point).bindPopup(popup(point))); });
    map.addLayer(layer);
    if (points.length === 1) {
      map.setView([points[0].lat, points[0].lon], points[0].precision === "prefecture" ? 8 : 11);
    } else {
      map.fitBounds(points.map(function (p) { return [p.lat, p.lon]; }), { padding: [24, 24], maxZoom: 11 });
    }
    element.setAttribute("data-bh-ready", String(points.length));
    maps.push(map);
  }

  function drawMaps() {
    // Maps of the page we left are gone from the DOM; release their handlers.
    maps.forEach(function (map) { map.remove(); });
    maps = [];
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-bh-map]").forEach(drawMap);
  }

  function rowMatches(row, text, wanted) {
    if (text && row.bhText.indexOf(text) < 0) { return false; }
    if (wanted.region && row.getAttribute("data-region") !== wanted.region) { return false; }
    if (wanted.prefecture && row.getAttribute("data-prefecture") !== wanted.prefecture) { return false; }
    if (wanted.status && row.getAttribute("data-status") !== wanted.status) { return false; }
    if (wanted.tag && row.getAttribute("data-tags").split(",").indexOf(wanted.tag) < 0) { return false; }
    return true;
  }

  function setUpFilter(form) {
    var table = document.querySelector("[data-bh-directory]");
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.forEach(function (row) { row.bhText = normalise(row.getAttribute("data-search") + " " + row.textContent); });
    var empty = document.querySelector("[data-bh-empty]");
    var params = new URLSearchParams(window.location.search);
    ["q", "region", "prefecture", "status", "tag"].forEach(function (name) {
      if (params.get(name)) { form.elements[name].value = params.get(name); }
    });
    function apply() {
      var wanted = {};
      ["region", "prefecture", "status", "tag"].forEach(function (name) { wanted[name] = form.elements[name].value; });
      var text = normalise(form.elements.q.value);
      var shown = 0;
      rows.forEach(function (row) {
        row.hidden = !rowMatches(row, text, wanted);
        shown += row.hidden ? 0 : 1;
      });
      form.elements.count.value = shown + " 件";
      if (empty) { empty.hidden = shown !== 0; }
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  /* An event lists every area of its host and co-hosts, separated by spaces. */
  function listed(item, name, value) {
    return (" " + item.getAttribute(name) + " ").indexOf(" " + value + " ") >= 0;
  }

  /* Events: narrow by region, prefecture and online, and by one brigade when a page linked here with
     ?brigade=<id>; a month heading goes when all its events do. The choice stays in the address, so that the
     links to other months and years keep it. */
  function setUpEventFilter(form) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".bh-events-list li.bh-event"));
    var empty = document.querySelector("[data-bh-empty]");
    var query = new URLSearchParams(window.location.search);
    var brigade = query.get("brigade") || "";
    ["region", "prefecture", "online"].forEach(function (name) {
      if (query.get(name) !== null) { form.elements[name].value = query.get(name); }
    });
    showBrigade(form, items, brigade);
    function apply() {
      var region = form.elements.region.value, prefecture = form.elements.prefecture.value;
      var online = form.elements.online.value, shown = 0;
      items.forEach(function (item) {
        item.hidden = (region && !listed(item, "data-regions", region)) ||
          (prefecture && !listed(item, "data-prefectures", prefecture)) ||
          (online && item.getAttribute("data-online") !== online) ||
          (brigade && !listed(item, "data-hosts", brigade));
        shown += item.hidden ? 0 : 1;
      });
      document.querySelectorAll(".bh-events-list ul.bh-events").forEach(function (list) {
        var visible = list.querySelector("li:not([hidden])") !== null;
        list.hidden = !visible;
        list.previousElementSibling.hidden = !visible;
      });
      form.elements.count.value = shown + " 件";
      if (empty) { empty.hidden = shown !== 0; }
      keepQuery({region: region, prefecture: prefecture, online: online, brigade: brigade});
    }
    form.addEventListener("change", apply);
    form.hidden = false;
    apply();
  }

  /* Say which brigade the list is narrowed to, by the name its own events link to, with a way back. */
  function showBrigade(form, items, brigade) {
    var note = form.querySelector("[data-bh-brigade-note]");
    if (!brigade || !note) { return; }
    var link = null;
    items.some(function (item) {
      link = item.querySelector(".bh-event__host a[href$='/brigades/" + brigade + "/']");
      return link !== null;
    });
    note.querySelector("[data-bh-brigade-name]").textContent = link ? link.textContent : brigade;
    note.hidden = false;
  }

  /* Put the chosen filters into the address and into the links to other months and years. */
  function keepQuery(chosen) {
    var query = new URLSearchParams();
    Object.keys(chosen).forEach(function (name) { if (chosen[name]) { query.set(name, chosen[name]); } });
    var search = query.toString() ? "?" + query.toString() : "";
    window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
    document.querySelectorAll("[data-bh-keep-query] a").forEach(function (link) {
      link.setAttribute("href", link.getAttribute("href").split("?")[0] + search);
    });
  }

  /* Copy buttons beside each feed address; without JavaScript the address can still be selected by hand. */
  function setUpCopy(button) {
    var input = button.previousElementSibling;
    if (!navigator.clipboard || !input) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () { button.textContent = "コピーしました"; });
    });
  }

  function start() {
    drawMaps();
    document.querySelectorAll("[data-bh-filter]").forEach(setUpFilter);
    document.querySelectorAll("[data-bh-event-filter]").forEach(setUpEventFilter);
    document.querySelectorAll("[data-bh-copy]").forEach(setUpCopy);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
