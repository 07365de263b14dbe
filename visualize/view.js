// cdkg view: legend, type and date filters, language switch, size-by switch and tooltips built as
// DOM nodes (textContent only: document text never becomes HTML). Runs right after pyvis'
// drawGraph(), with the globals it defines: nodes and edges (vis.DataSet) and network.
(function () {
  "use strict";
  var config = CDKG_CONFIG;
  var times = window.cdkgTimes = {start: performance.now()};
  var TEXT = {
    en: {
      language: "Language", size: "Node size", types: "Types", dates: "Date range", from: "From", to: "To",
      undated: "Keep items without a date", degree: "degree", betweenness: "betweenness",
      eigenvector: "eigenvector centrality", community: "community", weight: "weight", sources: "Sources",
      more: "more", shown: "shown", nodes: "nodes", edges: "edges", instruments: "Shared instruments",
      none: "No claim recorded", type: "type", reset: "Clear dates", relation: "relation",
      edgeTypes: "Edge types", related: "related"
    },
    ar: {
      language: "اللغة", size: "حجم العقدة", types: "الأنواع", dates: "النطاق الزمني", from: "من", to: "إلى",
      undated: "إبقاء العناصر غير المؤرخة", degree: "الدرجة", betweenness: "البينية",
      eigenvector: "مركزية المتجه الذاتي", community: "المجتمع", weight: "الوزن", sources: "المصادر",
      more: "أخرى", shown: "معروضة", nodes: "عقد", edges: "روابط", instruments: "الوثائق المشتركة",
      none: "لا يوجد ادعاء مسجل", type: "النوع", reset: "مسح التواريخ", relation: "العلاقة",
      edgeTypes: "أنواع الروابط", related: "مرتبط"
    }
  };
  var SYMBOL = {dot: "\u25CF", square: "\u25A0", star: "\u2605", diamond: "\u25C6", triangle: "\u25B2",
                triangleDown: "\u25BC", hexagon: "\u2B22"};
  var lang = config.lang;
  var classInfo = {};
  config.classes.forEach(function (c) { classInfo[c.key] = c; });
  var allNodes = nodes.get();
  var allEdges = edges.get();
  var nodeById = {}, edgeById = {};
  allNodes.forEach(function (n) { nodeById[n.id] = n; });
  allEdges.forEach(function (e) { edgeById[e.id] = e; });
  var typeOn = {};
  config.classes.forEach(function (c) { typeOn[c.key] = true; });
  var hiddenNode = {}, hiddenEdge = {};
  // Edge relations present, each with a colour and an on/off switch in the legend.
  var relationOn = {}, relationColour = {}, relationCount = {}, relationOrder = [];
  allEdges.forEach(function (e) {
    (e.relations.length ? e.relations : ["related"]).forEach(function (r) {
      if (!(r in relationCount)) { relationCount[r] = 0; relationOrder.push(r); }
      relationCount[r] += 1;
    });
  });
  relationOrder.sort();
  // The edge colours are written into the page (pyvis_html.relation_colours): the same here.
  relationOrder.forEach(function (r) { relationOn[r] = true; relationColour[r] = config.relationColours[r] || "#9a9a9a"; });
  function edgeRelations(e) { return e.relations.length ? e.relations : ["related"]; }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
    return node;
  }
  function t(key) { return TEXT[lang][key] || key; }
  function className(key) { var c = classInfo[key]; return c ? c[lang] : key; }
  function relationName(key) { var r = config.relations[key]; return r ? r[lang] : t(key); }
  function labelIn(n, l) {
    var text = (l === "ar" ? n.label_ar : n.label_en) || n.label_en || n.label_ar || String(n.id);
    var langs = n.label_langs || ["ar", "en"];
    return langs.length && langs.indexOf(l) < 0 ? text + " [" + langs[0] + "]" : text;
  }
  function fmt(x) { return typeof x === "number" && !Number.isInteger(x) ? x.toFixed(3) : String(x); }

  function sourceList(item) {
    // One entry per document (title, then date after a separator in the page's direction),
    // with every quote of that document under it.
    var box = el("div");
    box.appendChild(el("div", t("sources") + " (" + item.nsources + ")", {"class": "tip-meta"}));
    if (!item.sources.length) { box.appendChild(el("div", t("none"), {"class": "tip-more"})); return box; }
    var list = el("ul"), byDoc = {}, order = [];
    item.sources.forEach(function (s) {
      var key = s.doc || s.title;
      if (!byDoc[key]) { byDoc[key] = {title: s.title, date: s.date, quotes: []}; order.push(key); }
      if (s.quote && byDoc[key].quotes.indexOf(s.quote) < 0) { byDoc[key].quotes.push(s.quote); }
    });
    order.forEach(function (key) {
      var d = byDoc[key], li = el("li", null, {"class": "tip-source"});
      li.appendChild(el("bdi", d.title, {"class": "tip-doc"}));
      if (d.date) {
        li.appendChild(el("span", " \u2014 ", {"class": "tip-sep"}));
        li.appendChild(el("bdi", d.date, {"class": "tip-date", dir: "ltr"}));
      }
      d.quotes.forEach(function (q) { li.appendChild(el("span", q, {"class": "tip-quote", dir: "auto"})); });
      list.appendChild(li);
    });
    box.appendChild(list);
    if (item.nsources > item.sources.length) {
      box.appendChild(el("div", "+" + (item.nsources - item.sources.length) + " " + t("more"), {"class": "tip-more"}));
    }
    return box;
  }
  function nodeTip(n) {
    var box = el("div", null, {"class": "cdkg-tip", dir: lang === "ar" ? "rtl" : "ltr"});
    var langs = n.label_langs || ["ar", "en"];
    if (!langs.length) { box.appendChild(el("div", labelIn(n, lang), {"class": "tip-label", dir: "auto"})); }
    langs.forEach(function (l) {
      var text = l === "ar" ? n.label_ar : n.label_en;
      if (text) {
        box.appendChild(el("div", text, {"class": "tip-label", dir: l === "ar" ? "rtl" : "ltr", lang: l}));
      }
    });
    var m = n.metrics;
    box.appendChild(el("div", t("type") + ": " + className(n.ctype) + " \u00B7 " + t("degree") + " " + m.degree +
      " \u00B7 " + t("betweenness") + " " + fmt(m.betweenness) + " \u00B7 " + t("eigenvector") + " " +
      fmt(m.eigenvector) + " \u00B7 " + t("community") + " " + m.community, {"class": "tip-meta"}));
    box.appendChild(sourceList(n));
    return box;
  }
  function edgeTip(e) {
    var box = el("div", null, {"class": "cdkg-tip", dir: lang === "ar" ? "rtl" : "ltr"});
    var a = nodeById[e.from], b = nodeById[e.to];
    box.appendChild(el("div", labelIn(a, lang) + " \u2014 " + labelIn(b, lang), {"class": "tip-label", dir: "auto"}));
    box.appendChild(el("div", t("relation") + ": " + e.relations.map(relationName).join(", ") + " \u00B7 " +
      t("weight") + " " + fmt(e.weight), {"class": "tip-meta"}));
    if (e.via.length) {
      box.appendChild(el("div", t("instruments") + ":", {"class": "tip-meta"}));
      var list = el("ul");
      e.via.forEach(function (v) {
        var li = el("li");
        li.appendChild(el("div", v.ar, {dir: "rtl", lang: "ar"}));
        if (v.en !== v.ar) { li.appendChild(el("div", v.en, {dir: "ltr", lang: "en"})); }
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    box.appendChild(sourceList(e));
    return box;
  }
  // Tooltips are built when shown (building thousands up front costs seconds): every item
  // carries a placeholder title, so vis opens its popup, whose content is then replaced.
  function tipOf(id) {
    if (Object.prototype.hasOwnProperty.call(nodeById, id)) { return nodeTip(nodeById[id]); }
    var e = edgeById[id];
    return e ? edgeTip(e) : null;
  }
  network.on("showPopup", function (id) {
    var popup = document.querySelector("div.vis-tooltip"), tip = tipOf(id);
    if (!popup || !tip) { return; }
    popup.textContent = "";
    popup.appendChild(tip);
    var box = popup.getBoundingClientRect(), frame = document.getElementById("mynetwork").getBoundingClientRect();
    if (box.right > frame.right) { popup.style.left = Math.max(0, parseFloat(popup.style.left) - (box.right - frame.right) - 8) + "px"; }
    if (box.bottom > frame.bottom) { popup.style.top = Math.max(0, parseFloat(popup.style.top) - (box.bottom - frame.bottom) - 8) + "px"; }
  });

  // ---- panel ------------------------------------------------------------------------------
  var panel = el("div", null, {id: "cdkg-panel"});
  document.body.appendChild(panel);
  var fromInput, toInput, undatedBox, status;

  function dateOk(item, from, to, undated) {
    if (!from && !to) { return true; }
    if (!item.dmin) { return undated; }
    if (from && item.dmax < from) { return false; }
    if (to && item.dmin > to) { return false; }
    return true;
  }
  function applyFilters() {
    var from = fromInput.value, to = toInput.value, undated = undatedBox.checked;
    var visible = {}, nodeChanges = [], edgeChanges = [], shownNodes = 0, shownEdges = 0;
    allNodes.forEach(function (n) {
      var show = typeOn[n.ctype] !== false && dateOk(n, from, to, undated);
      visible[n.id] = show;
      if (show) { shownNodes += 1; }
      if (!!hiddenNode[n.id] === show) { hiddenNode[n.id] = !show; nodeChanges.push({id: n.id, hidden: !show}); }
    });
    allEdges.forEach(function (e) {
      var show = visible[e.from] && visible[e.to] && dateOk(e, from, to, undated) &&
        edgeRelations(e).some(function (r) { return relationOn[r]; });
      if (show) { shownEdges += 1; }
      if (!!hiddenEdge[e.id] === show) { hiddenEdge[e.id] = !show; edgeChanges.push({id: e.id, hidden: !show}); }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    window.cdkgShown = {nodes: shownNodes, edges: shownEdges};
    if (window.cdkgSettled) { scheduleLabels(); }
    status.textContent = shownNodes + " / " + allNodes.length + " " + t("nodes") + ", " + shownEdges + " / " +
      allEdges.length + " " + t("edges") + " " + t("shown");
  }
  function setSize(metric) {
    config.sizeBy = metric;
    nodes.update(allNodes.map(function (n) { return {id: n.id, value: n.metrics[metric]}; }));
    if (window.cdkgSettled) { scheduleLabels(); }
  }
  function buildPanel() {
    var keep = fromInput ? {from: fromInput.value, to: toInput.value, undated: undatedBox.checked} : null;
    panel.textContent = "";
    panel.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    panel.setAttribute("lang", lang);
    panel.appendChild(el("h1", config.title[lang], {dir: "auto"}));
    panel.appendChild(el("h2", t("language")));
    [["ar", "العربية"], ["en", "English"]].forEach(function (pair) {
      var b = el("button", pair[1], {type: "button", "data-lang": pair[0], "aria-pressed": String(pair[0] === lang)});
      b.addEventListener("click", function () { setLanguage(pair[0]); });
      panel.appendChild(b);
    });
    panel.appendChild(el("h2", t("size")));
    var select = el("select", null, {id: "cdkg-size"});
    ["degree", "betweenness", "eigenvector"].forEach(function (m) {
      var o = el("option", t(m), {value: m});
      if (m === config.sizeBy) { o.selected = true; }
      select.appendChild(o);
    });
    select.addEventListener("change", function () { setSize(select.value); });
    panel.appendChild(select);
    panel.appendChild(el("h2", t("types")));
    var counts = {};
    allNodes.forEach(function (n) { counts[n.ctype] = (counts[n.ctype] || 0) + 1; });
    config.classes.forEach(function (c) {
      var label = el("label");
      var box = el("input", null, {type: "checkbox", "data-type": c.key});
      box.checked = typeOn[c.key] !== false;
      box.addEventListener("change", function () { typeOn[c.key] = box.checked; applyFilters(); });
      label.appendChild(box);
      var swatch = el("span", SYMBOL[c.shape] || SYMBOL.dot, {"class": "swatch"});
      swatch.style.color = c.color;
      label.appendChild(swatch);
      label.appendChild(el("span", c[lang]));
      label.appendChild(el("span", String(counts[c.key] || 0), {"class": "count"}));
      panel.appendChild(label);
    });
    if (relationOrder.length) {
      panel.appendChild(el("h2", t("edgeTypes")));
      relationOrder.forEach(function (r) {
        var label = el("label", null, {"class": "edge-legend"});
        var box = el("input", null, {type: "checkbox", "data-relation": r});
        box.checked = relationOn[r];
        box.addEventListener("change", function () { relationOn[r] = box.checked; applyFilters(); });
        label.appendChild(box);
        var line = el("span", null, {"class": "edge-swatch"});
        line.style.backgroundColor = relationOrder.length > 1 ? relationColour[r] : "#9a9a9a";
        label.appendChild(line);
        label.appendChild(el("span", relationName(r)));
        label.appendChild(el("span", String(relationCount[r]), {"class": "count"}));
        panel.appendChild(label);
      });
    }
    panel.appendChild(el("h2", t("dates")));
    var fromLabel = el("label", t("from"));
    fromInput = el("input", null, {type: "date", id: "cdkg-from"});
    fromLabel.appendChild(fromInput);
    var toLabel = el("label", t("to"));
    toInput = el("input", null, {type: "date", id: "cdkg-to"});
    toLabel.appendChild(toInput);
    var undatedLabel = el("label");
    undatedBox = el("input", null, {type: "checkbox", id: "cdkg-undated"});
    undatedBox.checked = true;
    undatedLabel.appendChild(undatedBox);
    undatedLabel.appendChild(el("span", t("undated")));
    var reset = el("button", t("reset"), {type: "button"});
    reset.addEventListener("click", function () { fromInput.value = ""; toInput.value = ""; applyFilters(); });
    [fromInput, toInput, undatedBox].forEach(function (input) { input.addEventListener("change", applyFilters); });
    panel.appendChild(fromLabel);
    panel.appendChild(toLabel);
    panel.appendChild(undatedLabel);
    panel.appendChild(reset);
    if (keep) { fromInput.value = keep.from; toInput.value = keep.to; undatedBox.checked = keep.undated; }
    status = el("div", null, {id: "cdkg-status"});
    panel.appendChild(status);
    panel.appendChild(el("div", config.reduced, {id: "cdkg-reduced", dir: "ltr"}));
  }
  function setLanguage(next) {
    lang = next;
    document.documentElement.setAttribute("lang", next);
    document.title = config.title[next];
    document.documentElement.setAttribute("dir", next === "ar" ? "rtl" : "ltr");
    var canvas = document.querySelector("#mynetwork canvas");
    if (canvas) { canvas.setAttribute("dir", next === "ar" ? "rtl" : "ltr"); }
    buildPanel();
    times.panel = performance.now();
    applyFilters();
    times.filters = performance.now();
    if (window.cdkgSettled) { placeLabels(); }
    window.cdkgLang = next;
  }

  // ---- labels by centrality ----------------------------------------------------------------
  // Labels go on the most central nodes first (by the size metric), each only where its box
  // overlaps no label already placed on screen. Labels keep one size on screen at any zoom, so
  // zooming in makes room for more.
  var FONT_SIZE = 15, SCREEN_FONT = 13, FONT_FACE = "DejaVu Sans, Noto Sans Arabic, Arial, sans-serif", LABEL_PAD = 4;
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT_SIZE + "px " + FONT_FACE;
  var labelShown = {};
  window.cdkgLabelsPlaced = 0;
  function placeLabels() {
    var scale = network.getScale();
    var ids = allNodes.filter(function (n) { return !hiddenNode[n.id]; }).map(function (n) { return n.id; });
    var positions = network.getPositions(ids);
    var metric = config.sizeBy;
    ids.sort(function (a, b) { return (nodeById[b].metrics[metric] || 0) - (nodeById[a].metrics[metric] || 0) ||
                                      (a < b ? -1 : a > b ? 1 : 0); });
    var placed = [], view = document.getElementById("mynetwork").getBoundingClientRect();
    var changes = [], want = {};
    ids.forEach(function (id) {
      var p = positions[id], body = network.body.nodes[id];
      if (!p || !body) { return; }
      var text = labelIn(nodeById[id], lang);
      var dom = network.canvasToDOM(p);
      var radius = (body.shape && body.shape.radius ? body.shape.radius : 10) * scale;
      var w = measure.measureText(text).width * SCREEN_FONT / FONT_SIZE + 2 * LABEL_PAD;
      var h = SCREEN_FONT * 1.3 + 2 * LABEL_PAD;
      var box = {x: dom.x - w / 2, y: dom.y + radius, w: w, h: h};
      if (box.x < 0 || box.y < 0 || box.x + w > view.width || box.y + h > view.height) { return; }
      var free = placed.every(function (o) {
        return box.x + box.w <= o.x || o.x + o.w <= box.x || box.y + box.h <= o.y || o.y + o.h <= box.y;
      });
      if (free) { placed.push(box); want[id] = true; }
    });
    var size = SCREEN_FONT / scale;
    allNodes.forEach(function (n) {
      var on = !!want[n.id];
      if (on) { changes.push({id: n.id, label: labelIn(n, lang), font: {size: size}}); }
      else if (labelShown[n.id] !== false) { changes.push({id: n.id, label: ""}); }
      labelShown[n.id] = on;
    });
    if (changes.length) { nodes.update(changes); }
    window.cdkgLabelsPlaced = placed.length;
  }
  var labelFrame = null;
  function scheduleLabels() {
    if (labelFrame === null) { labelFrame = window.requestAnimationFrame(function () { labelFrame = null; placeLabels(); }); }
  }
  network.on("zoom", scheduleLabels);
  network.on("dragEnd", scheduleLabels);

  // Positions come with the nodes (computed when the page was written) and physics is off:
  // the view is settled once it has been drawn, fitted and labelled.
  window.cdkgSettled = false;
  function settle() {
    if (window.cdkgSettled) { return; }
    times.drawn = performance.now();
    network.fit({animation: false, maxZoomLevel: 1.5});
    placeLabels();
    times.labelled = performance.now();
    window.cdkgSettled = true;
  }
  network.once("afterDrawing", function () { window.setTimeout(settle, 0); });
  network.redraw();
  if (!allNodes.length) { window.cdkgSettled = true; }
  window.cdkg = {tipOf: tipOf, setLanguage: setLanguage, placeLabels: placeLabels, labelOf: function (id) { return labelIn(nodeById[id], lang); }, applyFilters: applyFilters, setSize: setSize,
                 nodeCount: allNodes.length, edgeCount: allEdges.length};
  setLanguage(lang);
})();
