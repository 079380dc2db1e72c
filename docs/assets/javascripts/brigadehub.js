/* Brigade Hub: draws the maps and runs the directory filter, again after each of Material's instant page loads. */
(function () {
  "use strict";

  var maps = [];

  /* Every word the script says, in the page's language: the English edition's pages are <html lang="en">. The
     page data's words are in scripts/brigadehub/site/words.py; the shared api/*.json files are in Japanese. */
  var WORDS = {
    ja: {
      english: false, sep: " ・ ", position: "位置: ", search: "サイト内検索", copied: "コピーしました",
      addToGoogle: "Google カレンダーに追加", calendarHost: "主催",
      statuses: {active: "活動中", dormant: "休止中", disbanded: "解散", unknown: "未確認"},
      precisions: {exact: "活動拠点の位置", city: "市区町村の位置（おおよそ）",
                   prefecture: "都道府県庁所在地の位置（おおよそ）"},
      mapFailed: "地図のデータを読み込めませんでした。ページを開き直すか、一覧からお探しください。",
      brigades: function (n) { return n + " 件"; },
      events: function (n) { return n + " 件"; },
      elsewhereFailed: "ほかのページのブリゲードを読み込めませんでした。ページを開き直してください。",
      found: function (n, onPart) {
        return (onPart ? "ほかのページのブリゲード" : "見つかったブリゲード") + "（" + n + " 件）";
      },
      more: function (n) { return "ほかに " + n + " 件あります。名前や地名をもう少し詳しく入れてください。"; },
      town: function (town, prefecture) { return town.name + "（" + prefecture.name + "）"; },
      covering: "この市区町村で活動しているブリゲード:",
      nearest: "この市区町村のブリゲードはまだ登録がありません。近くのブリゲード:",
      km: function (km) { return "（約 " + km + " km）"; },
      prefecture: function (prefecture) { return prefecture.name + "のブリゲードと市区町村"; },
      thematic: "地域を限らず、どこからでも参加できるブリゲード:",
      noTown: function (query) {
        return "「" + query + "」に当たる市区町村が見つかりません。" +
          "漢字・かな・ローマ字で、市区町村名を入れてください。";
      },
      nearMe: "現在地から近いブリゲード",
      noPosition: "現在地を使えませんでした。市区町村名で探してください。"
    },
    en: {
      english: true, sep: " · ", position: "Place: ", search: "Site search", copied: "Copied",
      addToGoogle: "Add to Google Calendar", calendarHost: "Host",
      statuses: {active: "active", dormant: "dormant", disbanded: "disbanded", unknown: "unconfirmed"},
      precisions: {exact: "where it meets", city: "its city (roughly)",
                   prefecture: "its prefecture's capital (roughly)"},
      mapFailed: "The map's data could not be loaded. Please open the page again, or use the list.",
      brigades: function (n) { return n + (n === 1 ? " brigade" : " brigades"); },
      events: function (n) { return n + (n === 1 ? " event" : " events"); },
      elsewhereFailed: "The brigades of the other pages could not be loaded. Please open the page again.",
      found: function (n, onPart) {
        return (onPart ? "On other pages" : "Found") + " (" + n + (n === 1 ? " brigade)" : " brigades)");
      },
      more: function (n) { return n + " more. Please type more of the name or the place."; },
      town: function (town, prefecture) {
        return capitalise(town.romaji) + " (" + town.name + "), " + capitalise(prefecture.href.split("/")[1]);
      },
      covering: "Brigades active here:",
      nearest: "No brigade is registered here yet. The nearest:",
      km: function (km) { return " (about " + km + " km)"; },
      prefecture: function (prefecture) {
        return "Brigades and municipalities of " + capitalise(prefecture.href.split("/")[1]);
      },
      thematic: "Brigades open to everyone, wherever they live:",
      noTown: function (query) {
        return "No municipality matches “" + query + "”. Type a municipality's name in romaji, kanji or kana.";
      },
      nearMe: "Brigades near you",
      noPosition: "Your location could not be used. Please search by municipality."
    }
  };
  var t = WORDS.ja;

  function capitalise(word) { return word.charAt(0).toUpperCase() + word.slice(1); }

  /* On an English page, Japanese text from the data is read in a Japanese voice. */
  function markJapanese(node, text) {
    if (t.english && /[\u3040-\u30ff\u3400-\u9fff]/.test(text)) { node.lang = "ja"; }
    return node;
  }

  /* A brigade's name as the page's language puts it first, and the other one: api/*.json give the Japanese name
     and the English one where the file has one. */
  function names(brigade) {
    return t.english && brigade.en ? [brigade.en, brigade.name] : [brigade.name, brigade.en];
  }

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
    var name = markJapanese(document.createElement("a"), point.name);
    name.href = point.href;
    name.textContent = point.name;
    name.className = "bh-popup__name";
    box.appendChild(name);
    if (point.en) {
      box.appendChild(markJapanese(element("div", point.en), point.en));
    }
    var status = document.createElement("div");
    status.appendChild(markJapanese(element("span", point.area), point.area));
    status.appendChild(document.createTextNode(t.sep + (t.statuses[point.status] || point.statusLabel)));
    box.appendChild(status);
    if (point.precision !== "exact") {
      var note = document.createElement("div");
      note.className = "bh-popup__approx";
      note.textContent = t.position + (t.precisions[point.precision] || point.precisionLabel);
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

  /* The big map's points come from a JSON file (api/map.json): rows of its fields, addresses from the site's root.
     A large area's map keeps those whose field (region, prefecture) has its value. */
  function fetchPoints(element) {
    var url = new URL(element.getAttribute("data-points-src"), window.location.href);
    var root = new URL("..", url);
    var field = element.getAttribute("data-points-field"), value = element.getAttribute("data-points-value");
    return fetch(url.href).then(function (answer) {
      if (!answer.ok) { throw new Error("HTTP " + answer.status); }
      return answer.json();
    }).then(function (data) {
      var points = data.points.map(function (row) {
        var point = {};
        data.fields.forEach(function (name, i) { point[name] = row[i]; });
        point.statusLabel = data.statuses[point.status];
        point.precisionLabel = data.precisions[point.precision];
        point.href = new URL(point.href, pagesRoot(element, root)).href;
        var shown = names(point);  // the file's are the Japanese edition's: the English page puts the English first
        point.name = shown[0];
        point.en = shown[1];
        return point;
      });
      return field ? points.filter(function (point) { return point[field] === value; }) : points;
    });
  }

  /* Said in the map's box, where the map would be: a map that stays blank looks like a country without brigades. */
  function mapFailed(box) {
    box.textContent = "";
    box.appendChild(element("p", t.mapFailed, "bh-map__error"));
    box.setAttribute("data-bh-failed", "");
  }

  function drawMap(element) {
    if (!element.hasAttribute("data-points-src")) {
      drawPoints(element, JSON.parse(element.getAttribute("data-points") || "[]"));
      return;
    }
    fetchPoints(element).then(function (points) {
      // Instant navigation may have left the page while the file came.
      if (document.body.contains(element)) { drawPoints(element, points); }
    }, function () { mapFailed(element); });
  }

  function drawPoints(element, points) {
    // On a phone one finger scrolls the page, as on the rest of it; two fingers move and zoom the map.
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.5, dragging: !L.Browser.mobile, tap: false });
    L.tileLayer(element.getAttribute("data-tiles"), {
      attribution: element.getAttribute("data-attribution"), maxZoom: 18
    }).addTo(map);
    var layer = L.markerClusterGroup
      // Clusters are drawn 40 px wide and placed at their members' centre: at 80 px none covers another, and each stays a 24 px target (WCAG 2.5.8).
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 80 })
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
    // A directory split into parts (past 600 brigades) searches the others in api/directory.json; its first page
    // has no table, only that search.
    var elsewhere = document.querySelector("[data-bh-directory-all]");
    if (!table && !elsewhere) { return; }
    var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
    rows.forEach(function (row) { row.bhText = normalise(row.getAttribute("data-search") + " " + row.textContent); });
    var empty = document.querySelector("[data-bh-empty]");
    var answers = document.querySelector("[data-bh-directory-towns]");
    var params = new URLSearchParams(window.location.search);
    ["q", "region", "prefecture", "status", "tag"].forEach(function (name) {
      if (params.get(name) && form.elements[name]) { form.elements[name].value = params.get(name); }
    });
    function apply() {
      var wanted = {};
      // The tag filter is left out of the page when no brigade has a tag; a part of the directory has no region.
      ["region", "prefecture", "status", "tag"].forEach(function (name) {
        wanted[name] = form.elements[name] ? form.elements[name].value : "";
      });
      var query = form.elements.q.value, text = normalise(query);
      var shown = 0;
      rows.forEach(function (row) {
        row.hidden = !rowMatches(row, text, wanted);
        shown += row.hidden ? 0 : 1;
      });
      if (!elsewhere) {
        form.elements.count.value = t.brigades(shown);
        showNothingFound(empty, answers, shown === 0, query);
        return;
      }
      if (table) { form.elements.count.value = t.brigades(shown); }
      findElsewhere(elsewhere, query).then(function (found) {
        if (normalise(form.elements.q.value) !== text) { return; }  // typed on meanwhile
        if (!table) { form.elements.count.value = text ? t.brigades(found) : ""; }
        showNothingFound(empty, answers, shown + found === 0 && (text !== "" || table !== null), query);
      });
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    if (table) { setUpSorting(table, rows); }
    apply();
  }

  /* Nothing matched: say so, and look the words up as a town, whose nearest brigades may do. */
  function showNothingFound(empty, answers, nothing, query) {
    if (empty) { empty.hidden = !nothing; }
    if (answers) { findTowns(answers, nothing ? query : ""); }
  }

  /* ---- A split directory's search: api/directory.json holds every brigade, its words and its part. ---- */

  var directoryData = {};

  function loadDirectory(url) {
    if (!directoryData[url]) {
      directoryData[url] = fetch(url).then(function (answer) {
        if (!answer.ok) { throw new Error("HTTP " + answer.status); }
        return answer.json();
      }).then(function (data) {
        var at = {};
        data.fields.forEach(function (field, i) { at[field] = i; });
        data.rows = data.brigades.map(function (row) {
          return {name: row[at.name], en: row[at.en], area: row[at.area], href: row[at.href], part: row[at.part],
                  text: normalise(row[at.area] + " " + row[at.search])};
        });
        return data;
      });
      directoryData[url].catch(function () { delete directoryData[url]; });  // asked again on the next input
    }
    return directoryData[url];
  }

  /* Lists the brigades of the other parts that the words find, under the table (or alone, on the first page);
     resolves to how many it found. */
  function findElsewhere(container, query) {
    var url = new URL(container.getAttribute("data-src"), window.location.href);
    var root = pagesRoot(container, new URL("..", url)), part = container.getAttribute("data-part");
    var text = normalise(query);
    // The box is drawn again only for other words: leaving the search box fires "change", and a list drawn anew
    // between a click's press and release would swallow the click on one of its links.
    if (container.bhShown === text) { return Promise.resolve(container.bhFound); }
    if (!text) { container.textContent = ""; container.bhShown = text; container.bhFound = 0; return Promise.resolve(0); }
    return loadDirectory(url.href).then(function (data) {
      var found = data.rows.filter(function (row) { return String(row.part) !== part && row.text.indexOf(text) >= 0; });
      showElsewhere(container, data, root, found, part !== "");
      container.bhShown = text;
      container.bhFound = found.length;
      return found.length;
    }, function () {
      container.textContent = "";
      container.appendChild(element("p", t.elsewhereFailed));
      return 0;
    });
  }

  var ELSEWHERE_SHOWN = 30;

  function showElsewhere(container, data, root, found, onPart) {
    container.textContent = "";
    if (!found.length) { return; }
    container.appendChild(element("h2", t.found(found.length, onPart)));
    // The file's part names are Japanese; the English page gives its own.
    var labels = JSON.parse(container.getAttribute("data-labels") || "null");
    var list = element("ul", "", "bh-list");
    found.slice(0, ELSEWHERE_SHOWN).forEach(function (row) {
      var item = brigadeLink(root, row), other = names(row)[1];
      if (other) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(markJapanese(element("span", other, "bh-en"), other));
      }
      item.appendChild(document.createTextNode(" "));
      item.appendChild(markJapanese(element("span", row.area), row.area));
      item.appendChild(document.createTextNode(t.sep));
      var part = data.parts[row.part];
      var link = element("a", labels ? labels[row.part] : part.label);
      link.href = new URL(part.href, root).href;
      item.appendChild(link);
      list.appendChild(item);
    });
    container.appendChild(list);
    if (found.length > ELSEWHERE_SHOWN) {
      container.appendChild(element("p", t.more(found.length - ELSEWHERE_SHOWN), "bh-muted"));
    }
  }

  /* Headers with data-bh-sort become buttons that sort the rows; the last record sorts newest first. */
  function setUpSorting(table, rows) {
    table.querySelectorAll("th[data-bh-sort]").forEach(function (header) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "bh-sort";
      button.textContent = header.textContent;
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", function () {
        var column = header.cellIndex, byDate = header.getAttribute("data-bh-sort") === "last";
        var ascending = header.getAttribute("aria-sort") ? header.getAttribute("aria-sort") !== "ascending" : !byDate;
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[column], byDate), y = sortKey(b.cells[column], byDate);
          if (byDate && (x === "") !== (y === "")) { return x === "" ? 1 : -1; }  // no record: last either way
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
        table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  }

  function sortKey(cell, byDate) {
    return byDate ? (cell.getAttribute("data-sort") || "") : normalise(cell.textContent);
  }

  /* ---- The town finder: api/towns.json holds every municipality; the answers are worked out here. ---- */

  var townData = {};

  function loadTowns(url) {
    if (!townData[url]) {
      townData[url] = fetch(url).then(function (answer) { return answer.json(); });
    }
    return townData[url];
  }

  /* Romaji as the file writes it: no long vowels or macrons, no "shi" or "city" after the name. */
  function plainRomaji(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z]/g, "")
      .replace(/ou/g, "o").replace(/oo/g, "o").replace(/uu/g, "u")
      .replace(/(shi|city|cho|machi|town|mura|son|village|ku|ward)$/, "");
  }

  function matchTowns(data, query) {
    var text = normalise(query), romaji = plainRomaji(query), found = [];
    if (!text) { return found; }
    data.towns.forEach(function (row) {
      var town = {name: row[0], kana: row[1], romaji: row[2], prefecture: row[3], lat: row[4], lon: row[5],
                  covering: row[6]};
      var exact = town.name === text || town.name.slice(0, -1) === text || town.kana === text;
      var starts = town.name.indexOf(text) === 0 || town.kana.indexOf(text) === 0 ||
        (romaji.length >= 3 && /^[a-z]+$/.test(text) && town.romaji.indexOf(romaji) === 0);
      if (exact || starts) { found.push({town: town, rank: exact ? 0 : 1}); }
    });
    found.sort(function (a, b) { return a.rank - b.rank; });
    return found.slice(0, 8).map(function (hit) { return hit.town; });
  }

  function distanceKm(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180, dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    var a = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * 6371 * Math.asin(Math.sqrt(a));
  }

  function nearest(data, lat, lon, leaveOut, count) {
    return data.brigades.filter(function (b, i) { return b.lat !== null && leaveOut.indexOf(i) < 0; })
      .map(function (b) { return {brigade: b, km: distanceKm(lat, lon, b.lat, b.lon)}; })
      .sort(function (a, b) { return a.km - b.km; }).slice(0, count);
  }

  /* Every name comes from a contributor: the answer is built from DOM nodes, never from HTML text. */
  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function brigadeLink(root, brigade, note) {
    var item = element("li");
    var name = names(brigade)[0];
    var link = markJapanese(element("a", name), name);
    link.href = new URL(brigade.href, root).href;
    item.appendChild(link);
    if (note) { item.appendChild(document.createTextNode(" " + note)); }
    return item;
  }

  function townAnswer(data, root, town) {
    var box = element("section", "", "bh-finder__town");
    var prefecture = data.prefectures[town.prefecture];
    box.appendChild(element("h3", t.town(town, prefecture)));
    var list = element("ul");
    if (town.covering.length) {
      box.appendChild(element("p", t.covering));
      town.covering.forEach(function (i) { list.appendChild(brigadeLink(root, data.brigades[i])); });
    } else {
      box.appendChild(element("p", t.nearest));
      nearest(data, town.lat, town.lon, [], 3).forEach(function (hit) {
        list.appendChild(brigadeLink(root, hit.brigade, t.km(Math.round(hit.km))));
      });
    }
    box.appendChild(list);
    var more = element("p");
    var link = element("a", t.prefecture(prefecture));
    link.href = new URL(prefecture.href, root).href;
    more.appendChild(link);
    box.appendChild(more);
    return box;
  }

  function thematicNote(data, root) {
    var themed = data.brigades.filter(function (b) { return b.thematic; });
    if (!themed.length) { return null; }
    var box = element("section", "", "bh-finder__themed");
    box.appendChild(element("p", t.thematic));
    var list = element("ul");
    themed.forEach(function (b) { list.appendChild(brigadeLink(root, b)); });
    box.appendChild(list);
    return box;
  }

  function showAnswers(container, data, root, towns, query) {
    container.textContent = "";
    if (!query) { return; }
    if (!towns.length) {
      container.appendChild(element("p", t.noTown(query)));
      return;
    }
    towns.forEach(function (town) { container.appendChild(townAnswer(data, root, town)); });
    var themed = thematicNote(data, root);
    if (themed) { container.appendChild(themed); }
  }

  /* Where the pages that a file's site paths name are: the site's root, where api/ is, or the edition's own
     folder that data-pages names (the English edition's, en/). */
  function pagesRoot(container, root) {
    var pages = container.getAttribute("data-pages");
    return pages ? new URL(pages, window.location.href) : root;
  }

  /* Answers for a typed town, below the given container; the site's root is where api/ is. */
  function findTowns(container, query) {
    var url = new URL(container.getAttribute("data-towns"), window.location.href);
    var root = pagesRoot(container, new URL("..", url));
    if (!query) { container.textContent = ""; return; }
    loadTowns(url.href).then(function (data) {
      showAnswers(container, data, root, matchTowns(data, query), query);
    });
  }

  function showNearMe(container, button) {
    var url = new URL(container.getAttribute("data-towns"), window.location.href);
    var root = pagesRoot(container, new URL("..", url));
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      loadTowns(url.href).then(function (data) {
        container.textContent = "";
        var box = element("section", "", "bh-finder__town");
        box.appendChild(element("h3", t.nearMe));
        var list = element("ul");
        nearest(data, position.coords.latitude, position.coords.longitude, [], 5).forEach(function (hit) {
          list.appendChild(brigadeLink(root, hit.brigade, t.km(Math.round(hit.km))));
        });
        box.appendChild(list);
        container.appendChild(box);
        button.disabled = false;
      });
    }, function () {
      container.textContent = "";
      container.appendChild(element("p", t.noPosition));
      button.disabled = false;
    }, {maximumAge: 600000, timeout: 15000});
  }

  function setUpTownFinder(form) {
    var container = form.querySelector("[data-bh-finder-results]");
    ["data-towns", "data-pages"].forEach(function (name) {
      if (form.hasAttribute(name)) { container.setAttribute(name, form.getAttribute(name)); }
    });
    var input = form.elements.town;
    input.addEventListener("input", function () { findTowns(container, input.value); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      findTowns(container, input.value);
    });
    var button = form.querySelector("[data-bh-near]");
    if (button && navigator.geolocation) {
      button.hidden = false;
      button.addEventListener("click", function () { showNearMe(container, button); });
    }
  }

  /* An event lists every area of its host and co-hosts, separated by spaces. */
  function listed(item, name, value) {
    return (" " + item.getAttribute(name) + " ").indexOf(" " + value + " ") >= 0;
  }

  /* The link to a brigade among an event's hosts (the item's first <span>), or null. The brigade comes from the
     address, so it is compared as text, never put into a selector. */
  function hostLink(item, brigade) {
    var hosts = item.querySelector(":scope > span");
    var links = hosts ? Array.prototype.slice.call(hosts.querySelectorAll("a")) : [];
    var path = "/brigades/" + brigade + "/";
    return links.filter(function (link) {
      var href = link.getAttribute("href") || "";
      return href === path.slice(1) || href.slice(-path.length) === path;
    })[0] || null;
  }

  /* An event is in a region when one of its prefectures is: the filter's prefecture options say which. */
  function inRegion(item, region, regionOf) {
    return (item.getAttribute("data-prefectures") || "").split(" ").some(function (slug) {
      return regionOf[slug] === region;
    });
  }

  /* Events: narrow by region, prefecture and online, and by one brigade when a page linked here with
     ?brigade=<id>; a month heading goes when all its events do. The choice stays in the address, so that the
     links to other months and years keep it. */
  function setUpEventFilter(form) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".bh-events-list ul.bh-events > li"));
    var regionOf = {};
    Array.prototype.forEach.call(form.elements.prefecture.options, function (option) {
      if (option.value) { regionOf[option.value] = option.getAttribute("data-region"); }
    });
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
        item.hidden = (region && !inRegion(item, region, regionOf)) ||
          (prefecture && !listed(item, "data-prefectures", prefecture)) ||
          (online && (item.hasAttribute("data-online") ? "1" : "0") !== online) ||
          (brigade && !hostLink(item, brigade));
        shown += item.hidden ? 0 : 1;
      });
      document.querySelectorAll(".bh-events-list ul.bh-events").forEach(function (list) {
        var visible = list.querySelector("li:not([hidden])") !== null;
        list.hidden = !visible;
        list.previousElementSibling.hidden = !visible;
      });
      form.elements.count.value = t.events(shown);
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
      link = hostLink(item, brigade);
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

  /* An event to come has an .ics link carrying the parts of its "add to Google Calendar" link (its dates, host,
     place, and its title when not the item's own text); the link is made here, beside it, as
     events/feeds.py: google_calendar_link would write it. Google Calendar cannot be used without JavaScript, so
     nobody who could follow the link loses it; written into every item, the links were 7.3 MB of 165 at 1,000
     brigades. URLSearchParams encodes every part, and the address always starts with Google's. */
  var GOOGLE = "https://calendar.google.com/calendar/render?";
  var CANCELLED_MARK = "【中止】";  // events/feeds.py: CANCELLED_MARK, in both editions

  function addGoogleLink(ics) {
    var item = ics.closest("li"), title = item && item.querySelector("b");
    if (!title || ics.bhGoogle) { return; }
    var link = title.querySelector("a[href]"), text = ics.getAttribute("data-text");
    var details = [];
    if (ics.hasAttribute("data-host")) { details.push(t.calendarHost + ": " + ics.getAttribute("data-host")); }
    if (link) { details.push(link.getAttribute("href")); }
    var parts = [["action", "TEMPLATE"],
                 ["text", text !== null ? text
                   : (item.classList.contains("bh-event--cancelled") ? CANCELLED_MARK : "") + title.textContent],
                 ["dates", ics.getAttribute("data-dates")], ["ctz", "Asia/Tokyo"],
                 ["details", details.join("\n\n")], ["location", ics.getAttribute("data-location") || ""]];
    var google = document.createElement("a");
    google.href = GOOGLE + new URLSearchParams(parts.filter(function (part) { return part[1]; })).toString();
    google.rel = "nofollow";
    google.textContent = t.addToGoogle;
    ics.after(t.sep, google);
    ics.bhGoogle = google;
  }

  /* Copy buttons beside each feed address; without JavaScript the address can still be selected by hand. */
  function setUpCopy(button) {
    var input = button.previousElementSibling;
    if (!navigator.clipboard || !input) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () { button.textContent = t.copied; });
    });
  }

  /* Material's search box is a dialog without a name; screen readers announce it as one (axe aria-dialog-name). */
  function nameSearchDialog() {
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", t.search);
    });
  }

  /* The language switcher links to this page's twin (overrides/partials/alternate.html); an instant page load
     keeps the header, so its links are pointed again at the page now shown. */
  function pointSwitcher() {
    var list = document.querySelector("[data-bh-alternate]");
    if (!list) { return; }
    var here = list.getAttribute("data-bh-here") || "";
    var address = location.origin + location.pathname;
    var path = here && address.indexOf(here) === 0 ? address.slice(here.length) : "";
    list.querySelectorAll("a[data-bh-root]").forEach(function (link) {
      link.href = link.getAttribute("data-bh-root") + path;
    });
  }

  /* A code block or a table wider than the page scrolls sideways; one that takes the focus can be scrolled with
     the arrow keys too (axe scrollable-region-focusable). Looked at again after the window is resized. */
  function focusScrollers() {
    document.querySelectorAll(".md-typeset pre > code, .md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) { box.setAttribute("tabindex", "0"); }
    });
  }
  window.addEventListener("resize", focusScrollers);

  function start() {
    t = WORDS[document.documentElement.lang === "en" ? "en" : "ja"];
    pointSwitcher();
    nameSearchDialog();
    focusScrollers();
    drawMaps();
    document.querySelectorAll("[data-bh-filter]").forEach(setUpFilter);
    document.querySelectorAll("[data-bh-event-filter]").forEach(setUpEventFilter);
    document.querySelectorAll("[data-bh-finder]").forEach(setUpTownFinder);
    document.querySelectorAll("[data-bh-copy]").forEach(setUpCopy);
    document.querySelectorAll("a[download][data-dates]").forEach(addGoogleLink);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
