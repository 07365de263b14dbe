// cdkg view: the page's own code. Legend and filters (type, edge type, edge weight, time with
// play), colour by class or community with collapsible community clusters, a search box that
// focuses a node and dims what lies beyond its neighbourhood, the state in the URL hash,
// PNG and CSV export, labels on the most central nodes, and tooltips built as DOM nodes
// (textContent only: document text never becomes HTML). Runs right after pyvis' drawGraph(),
// with the globals it defines: nodes and edges (vis.DataSet) and network. Positions come with
// the nodes (computed when the page was written) and physics is off.
(function () {
  "use strict";
  var config = CDKG_CONFIG;
  var times = window.cdkgTimes = {start: performance.now()};
  var TEXT = {
    en: {
      language: "Language", size: "Node size", types: "Types", time: "Time", upTo: "up to", all: "all dates",
      undated: "Keep items without a date", degree: "degree", betweenness: "betweenness",
      eigenvector: "eigenvector centrality", community: "community", weight: "weight", sources: "Sources",
      more: "more", shown: "shown", nodes: "nodes", edges: "edges", instruments: "Shared instruments",
      none: "No claim recorded", type: "type", relation: "relation", play: "Play", pause: "Pause",
      edgeTypes: "Edge types", related: "related", colour: "Colour", byClass: "by type", byCommunity: "by community",
      communities: "Communities", collapseAll: "Collapse all", expandAll: "Expand all", around: "around",
      minWeight: "Minimum edge weight", search: "Find", searchHint: "name in any language", hops: "neighbourhood",
      hop1: "1 step", hop2: "2 steps", clear: "Clear", noMatch: "no match", exportTitle: "Export",
      png: "PNG picture", csv: "CSV of visible nodes", wikidata: "Wikidata", evidence: "evidence",
      cluster: "cluster", clickOpen: "click to open"
    },
    ar: {
      language: "اللغة", size: "حجم العقدة", types: "الأنواع", time: "الزمن", upTo: "حتى", all: "كل التواريخ",
      undated: "إبقاء العناصر غير المؤرخة", degree: "الدرجة", betweenness: "البينية",
      eigenvector: "مركزية المتجه الذاتي", community: "المجتمع", weight: "الوزن", sources: "المصادر",
      more: "أخرى", shown: "معروضة", nodes: "عقد", edges: "روابط", instruments: "الوثائق المشتركة",
      none: "لا يوجد ادعاء مسجل", type: "النوع", relation: "العلاقة", play: "تشغيل", pause: "إيقاف",
      edgeTypes: "أنواع الروابط", related: "مرتبط", colour: "اللون", byClass: "حسب النوع", byCommunity: "حسب المجتمع",
      communities: "المجتمعات", collapseAll: "طي الكل", expandAll: "فتح الكل", around: "حول",
      minWeight: "أدنى وزن للرابط", search: "بحث", searchHint: "الاسم بأي لغة", hops: "الجوار",
      hop1: "خطوة واحدة", hop2: "خطوتان", clear: "مسح", noMatch: "لا نتيجة", exportTitle: "تصدير",
      png: "صورة PNG", csv: "CSV للعقد المعروضة", wikidata: "ويكي بيانات", evidence: "الدليل",
      cluster: "عنقود", clickOpen: "انقر للفتح"
    }
  };
  var SYMBOL = {dot: "\u25CF", square: "\u25A0", star: "\u2605", diamond: "\u25C6", triangle: "\u25B2",
                triangleDown: "\u25BC", hexagon: "\u2B22"};
  var OTHER_COMMUNITY = config.otherCommunity, DIM_NODE = "rgba(205,205,205,0.45)", DIM_EDGE = "rgba(200,200,200,0.18)";
  var DEFAULT_EDGE = "#9a9a9a";
  var lang = config.lang;
  var classInfo = {};
  config.classes.forEach(function (c) { classInfo[c.key] = c; });
  var allNodes = nodes.get();
  var allEdges = edges.get();
  var nodeById = {}, edgeById = {}, adjacency = {};
  allNodes.forEach(function (n) { nodeById[n.id] = n; adjacency[n.id] = []; });
  allEdges.forEach(function (e) {
    edgeById[e.id] = e;
    if (adjacency[e.from]) { adjacency[e.from].push(e); }
    if (adjacency[e.to]) { adjacency[e.to].push(e); }
  });
  var hiddenNode = {}, hiddenEdge = {}, collapsedEdge = {}, paintedNode = {}, paintedEdge = {};
  function edgeRelations(e) { return e.relations.length ? e.relations : ["related"]; }
  // Edge relations present, each with its colour (written into the page) and a switch in the legend.
  var relationColour = {}, relationCount = {}, relationOrder = [];
  allEdges.forEach(function (e) {
    edgeRelations(e).forEach(function (r) {
      if (!(r in relationCount)) { relationCount[r] = 0; relationOrder.push(r); }
      relationCount[r] += 1;
    });
  });
  relationOrder.sort();
  relationOrder.forEach(function (r) { relationColour[r] = config.relationColours[r] || DEFAULT_EDGE; });
  // Distinct edge weights (the weight slider's stops) and dates (the time slider's stops).
  var weights = [], seenWeight = {};
  allEdges.forEach(function (e) { if (!seenWeight[e.weight]) { seenWeight[e.weight] = true; weights.push(e.weight); } });
  weights.sort(function (a, b) { return a - b; });
  var dates = [], seenDate = {};
  allNodes.concat(allEdges).forEach(function (item) {
    if (item.dmin && !seenDate[item.dmin]) { seenDate[item.dmin] = true; dates.push(item.dmin); }
  });
  dates.sort();
  var communityInfo = {};
  config.communities.forEach(function (c) { communityInfo[c.id] = c; });

  // ---- state, kept in the URL hash -----------------------------------------------------------
  var state = {
    focus: "", hops: 1, minWeight: config.minWeight, time: "", undated: true, typesOff: {}, relationsOff: {},
    collapsed: {}, colour: config.colourBy, size: config.sizeBy, lang: lang
  };
  function keys(object) { return Object.keys(object).filter(function (k) { return object[k]; }); }
  function stateHash() {
    var p = new URLSearchParams();
    if (state.focus) { p.set("focus", state.focus); p.set("hops", String(state.hops)); }
    if (state.minWeight !== config.minWeight) { p.set("w", String(state.minWeight)); }
    if (state.time) { p.set("t", state.time); }
    if (!state.undated) { p.set("undated", "0"); }
    if (keys(state.typesOff).length) { p.set("types", keys(state.typesOff).join(",")); }
    if (keys(state.relationsOff).length) { p.set("rel", keys(state.relationsOff).join(",")); }
    var collapsed = keys(state.collapsed).sort().join(","), first = (config.collapse || []).map(String).sort().join(",");
    if (collapsed !== first) { p.set("c", collapsed); }
    if (state.colour !== config.colourBy) { p.set("colour", state.colour); }
    if (state.size !== config.sizeBy) { p.set("size", state.size); }
    if (state.lang !== config.lang) { p.set("lang", state.lang); }
    return p.toString();
  }
  var restoring = false;
  function saveState() {
    if (restoring) { return; }
    var hash = stateHash();
    if (hash === location.hash.replace(/^#/, "")) { return; }
    try { history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search); }
    catch (err) { location.hash = hash; }
  }
  function readState() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    function set(list) { var o = {}; (list ? list.split(",") : []).forEach(function (k) { if (k) { o[k] = true; } }); return o; }
    state.focus = p.get("focus") && nodeById[p.get("focus")] ? p.get("focus") : "";
    state.hops = p.get("hops") === "2" ? 2 : 1;
    var w = parseFloat(p.get("w"));
    state.minWeight = isNaN(w) ? config.minWeight : w;
    state.time = p.get("t") || "";
    state.undated = p.get("undated") !== "0";
    state.typesOff = set(p.get("types"));
    state.relationsOff = set(p.get("rel"));
    state.collapsed = p.has("c") ? set(p.get("c")) : set((config.collapse || []).join(","));
    state.colour = p.get("colour") === "class" || p.get("colour") === "community" ? p.get("colour") : config.colourBy;
    state.size = ["degree", "betweenness", "eigenvector"].indexOf(p.get("size")) >= 0 ? p.get("size") : config.sizeBy;
    state.lang = p.get("lang") === "ar" || p.get("lang") === "en" ? p.get("lang") : config.lang;
    if (state.focus) { delete state.collapsed[nodeById[state.focus].community]; }  // the focus is drawn
  }

  // ---- small helpers -------------------------------------------------------------------------
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
  function localName(iri) { return String(iri).replace(/[\/#]+$/, "").split(/[\/#]/).pop(); }
  // A link only to an evidence page under the configured base or to an http(s) source URL.
  // Served by `cdkg serve` under /views/, a source links to the workbench's evidence page /doc/<name>.
  var evidenceBase = config.evidenceBase ||
    (/^https?:$/.test(location.protocol) && /\/views\//.test(location.pathname) ? "/doc/" : "");
  function sourceHref(doc, url) {
    if (evidenceBase) { return evidenceBase + encodeURIComponent(localName(doc)); }
    return /^https?:\/\//i.test(url || "") ? url : "";
  }
  function link(text, href, attrs) {
    var a = el("a", text, attrs);
    a.setAttribute("href", href);
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer");
    return a;
  }

  // ---- tooltips ------------------------------------------------------------------------------
  function sourceList(item) {
    // One entry per document (title, linked to its evidence page or source, then the date after
    // a separator in the page's direction), with every quote of that document under it.
    var box = el("div");
    box.appendChild(el("div", t("sources") + " (" + item.nsources + ")", {"class": "tip-meta"}));
    if (!item.sources.length) { box.appendChild(el("div", t("none"), {"class": "tip-more"})); return box; }
    var list = el("ul"), byDoc = {}, order = [];
    item.sources.forEach(function (s) {
      var key = s.doc || s.title;
      if (!byDoc[key]) { byDoc[key] = {doc: s.doc, title: s.title, date: s.date, url: s.url, quotes: []}; order.push(key); }
      if (s.quote && byDoc[key].quotes.indexOf(s.quote) < 0) { byDoc[key].quotes.push(s.quote); }
    });
    order.forEach(function (key) {
      var d = byDoc[key], li = el("li", null, {"class": "tip-source"});
      var href = sourceHref(d.doc, d.url);
      if (href) { li.appendChild(link(d.title, href, {"class": "tip-doc", dir: "auto"})); }
      else { li.appendChild(el("bdi", d.title, {"class": "tip-doc"})); }
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
    if (n.qid && /^Q[0-9]+$/.test(n.qid)) {
      var wd = el("div", null, {"class": "tip-meta"});
      wd.appendChild(link(t("wikidata") + " " + n.qid, "https://www.wikidata.org/wiki/" + n.qid,
                          {"class": "tip-wikidata", dir: "ltr"}));
      box.appendChild(wd);
    }
    box.appendChild(sourceList(n));
    return box;
  }
  function edgeTip(e) {
    var box = el("div", null, {"class": "cdkg-tip", dir: lang === "ar" ? "rtl" : "ltr"});
    var a = nodeById[e.from], b = nodeById[e.to];
    box.appendChild(el("div", labelIn(a, lang) + " \u2014 " + labelIn(b, lang), {"class": "tip-label", dir: "auto"}));
    box.appendChild(el("div", t("relation") + ": " + e.relations.map(relationName).join(", ") + " \u00B7 " +
      t("weight") + " " + fmt(e.weight), {"class": "tip-meta"}));
    if (e.via && e.via.length) {
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
  function clusterTip(c, members) {
    var box = el("div", null, {"class": "cdkg-tip", dir: lang === "ar" ? "rtl" : "ltr"});
    box.appendChild(el("div", communityName(c), {"class": "tip-label", dir: "auto"}));
    box.appendChild(el("div", members + " " + t("nodes") + " \u00B7 " + t("clickOpen"), {"class": "tip-meta"}));
    return box;
  }
  // Tooltips are built when shown (building thousands up front costs seconds): every item
  // carries a placeholder title, so vis opens its popup, whose content is then replaced.
  function tipOf(id) {
    if (Object.prototype.hasOwnProperty.call(nodeById, id)) { return nodeTip(nodeById[id]); }
    if (typeof id === "string" && id.indexOf("cluster:") === 0) {
      var c = clusterNodes[id] ? communityInfo[clusterNodes[id].community] : null;
      return c ? clusterTip(c, clusterNodes[id].members) : null;
    }
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
  // A click shows the same card in a box that stays, so its links can be followed.
  var details = el("div", null, {id: "cdkg-details"});
  document.body.appendChild(details);
  function showDetails(id) {
    details.textContent = "";
    var tip = id === null || id === undefined ? null : tipOf(id);
    if (!tip) { details.style.display = "none"; return; }
    var close = el("button", "\u00D7", {type: "button", "class": "close", "aria-label": t("clear")});
    close.addEventListener("click", function () { showDetails(null); });
    details.appendChild(close);
    details.appendChild(tip);
    details.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    details.style.display = "block";
  }

  // ---- filters, focus and colours --------------------------------------------------------------
  function timeOk(item) {
    if (!item.dmin) { return state.undated; }
    return !state.time || item.dmin <= state.time;
  }
  var inFocus = null;
  function neighbourhood() {
    if (!state.focus || hiddenNode[state.focus]) { return null; }
    var seen = {}, frontier = [state.focus];
    seen[state.focus] = true;
    for (var step = 0; step < state.hops; step++) {
      var next = [];
      frontier.forEach(function (id) {
        adjacency[id].forEach(function (e) {
          if (hiddenEdge[e.id]) { return; }
          var other = e.from === id ? e.to : e.from;
          if (!seen[other]) { seen[other] = true; next.push(other); }
        });
      });
      frontier = next;
    }
    return seen;
  }
  function communityColour(n) { var c = communityInfo[n.community]; return c ? c.colour : OTHER_COMMUNITY; }
  function paint() {
    var nodeChanges = [], edgeChanges = [];
    allNodes.forEach(function (n) {
      var colour = inFocus && !inFocus[n.id] ? DIM_NODE : state.colour === "community" ? communityColour(n) : n.ccolor;
      if (paintedNode[n.id] !== colour) {
        paintedNode[n.id] = colour;
        nodeChanges.push({id: n.id, color: colour});
      }
    });
    allEdges.forEach(function (e) {
      var base = relationOrder.length > 1 ? relationColour[edgeRelations(e)[0]] : DEFAULT_EDGE;
      var colour = inFocus && !(inFocus[e.from] && inFocus[e.to]) ? DIM_EDGE : base;
      if (paintedEdge[e.id] !== colour) {
        paintedEdge[e.id] = colour;
        edgeChanges.push({id: e.id, color: {color: colour, highlight: "#333333", hover: "#333333"}});
      }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
  }
  // what the page was written with: colours, and the members of communities collapsed at first hidden
  allNodes.forEach(function (n) { paintedNode[n.id] = n.color; hiddenNode[n.id] = !!n.hidden; });
  allEdges.forEach(function (e) { collapsedEdge[e.id] = !!e.hidden; });
  allEdges.forEach(function (e) {
    paintedEdge[e.id] = relationOrder.length > 1 ? relationColour[edgeRelations(e)[0]] : DEFAULT_EDGE;
  });
  function applyFilters() {
    var visible = {}, nodeChanges = [], edgeChanges = [], shownNodes = 0, shownEdges = 0;
    var lightest = weights.length ? weights[0] : 0, thresholded = state.minWeight > lightest;
    allNodes.forEach(function (n) { visible[n.id] = !state.typesOff[n.ctype] && timeOk(n); });
    var keepNode = {};
    allEdges.forEach(function (e) {
      var show = visible[e.from] && visible[e.to] && timeOk(e) && e.weight >= state.minWeight &&
        edgeRelations(e).some(function (r) { return !state.relationsOff[r]; });
      if (show) { shownEdges += 1; keepNode[e.from] = keepNode[e.to] = true; }
      hiddenEdge[e.id] = !show;
    });
    var passing = {};
    allNodes.forEach(function (n) {
      // under a weight threshold, nodes left with none of their edges go too (as --min-weight does)
      var show = visible[n.id] && (!thresholded || keepNode[n.id] || !adjacency[n.id].length);
      if (show) { shownNodes += 1; passing[n.id] = true; }
      show = show && !collapsedHere(n);
      if (!!hiddenNode[n.id] === show) { hiddenNode[n.id] = !show; nodeChanges.push({id: n.id, hidden: !show}); }
    });
    allEdges.forEach(function (e) {
      // edges into a collapsed community are drawn as the cluster's edges instead
      var show = !hiddenEdge[e.id] && !hiddenNode[e.from] && !hiddenNode[e.to];
      if (show === !!collapsedEdge[e.id]) { collapsedEdge[e.id] = !show; edgeChanges.push({id: e.id, hidden: !show}); }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    drawClusters(passing);
    inFocus = neighbourhood();
    paint();
    window.cdkgShown = {nodes: shownNodes, edges: shownEdges};
    if (status) {
      status.textContent = shownNodes + " / " + allNodes.length + " " + t("nodes") + ", " + shownEdges + " / " +
        allEdges.length + " " + t("edges") + " " + t("shown");
    }
    if (window.cdkgSettled) { scheduleLabels(); }
    saveState();
  }
  function setSize(metric) {
    state.size = config.sizeBy = metric;
    nodes.update(allNodes.map(function (n) { return {id: n.id, value: n.metrics[metric]}; }));
    applyFilters();
  }
  function setColour(mode) {
    state.colour = mode;
    paint();
    buildPanel();
    saveState();
  }

  // ---- community clusters --------------------------------------------------------------------
  function communityName(c) {
    var hub = nodeById[c.hub];
    return t("community") + " " + c.id + (hub ? " \u00B7 " + t("around") + " " + labelIn(hub, lang) : "");
  }
  // A collapsed community is drawn as one node at its members' centre, with one edge to each
  // node or cluster its members are linked to (members and their edges are hidden meanwhile).
  function clusterId(c) { return "cluster:" + c; }
  var clusterNodes = {}, clusterEdges = {};
  function isCluster(id) { return Object.prototype.hasOwnProperty.call(clusterNodes, id); }
  function collapsedHere(n) { return !!state.collapsed[n.community] && !!communityInfo[n.community]; }
  function representative(n) { return collapsedHere(n) ? clusterId(n.community) : n.id; }
  var centres = {};
  allNodes.forEach(function (n) {
    var c = centres[n.community] || (centres[n.community] = {x: 0, y: 0, count: 0});
    c.x += n.x || 0; c.y += n.y || 0; c.count += 1;
  });
  function drawClusters(passing) {
    var wantNodes = {}, wantEdges = {}, biggest = 0;
    allNodes.forEach(function (n) { biggest = Math.max(biggest, n.metrics[state.size] || 0); });
    config.communities.forEach(function (c) {
      if (!state.collapsed[c.id]) { return; }
      var members = 0;
      allNodes.forEach(function (n) { if (n.community === c.id && passing[n.id]) { members += 1; } });
      if (!members) { return; }
      var centre = centres[c.id];
      wantNodes[clusterId(c.id)] = {id: clusterId(c.id), label: "", shape: "dot", color: c.colour, value: biggest,
        x: centre.x / centre.count, y: centre.y / centre.count, borderWidth: 3, title: "\u2026", community: c.id,
        members: members};
    });
    allEdges.forEach(function (e) {
      if (hiddenEdge[e.id]) { return; }
      var a = nodeById[e.from], b = nodeById[e.to];
      if (!(collapsedHere(a) || collapsedHere(b))) { return; }
      var ra = representative(a), rb = representative(b);
      if (ra === rb) { return; }
      var key = ra < rb ? ra + "|" + rb : rb + "|" + ra;
      var edge = wantEdges[key] || (wantEdges[key] = {id: "cl:" + key, from: ra, to: rb, value: 0, weight: 0,
        color: {color: DEFAULT_EDGE}, title: "\u2026", arrows: {to: {enabled: false}}});
      edge.value += 1; edge.weight += e.weight;
    });
    var dropNodes = Object.keys(clusterNodes).filter(function (id) { return !wantNodes[id]; });
    var dropEdges = Object.keys(clusterEdges).filter(function (k) { return !wantEdges[k]; }).map(function (k) {
      return clusterEdges[k].id; });
    if (dropEdges.length) { edges.remove(dropEdges); }
    if (dropNodes.length) { nodes.remove(dropNodes); }
    var addNodes = [], addEdges = [];
    Object.keys(wantNodes).forEach(function (id) {
      var old = clusterNodes[id], now = wantNodes[id];
      if (!old || old.members !== now.members || old.value !== now.value) { addNodes.push(now); }
    });
    Object.keys(wantEdges).forEach(function (k) {
      var old = clusterEdges[k], now = wantEdges[k];
      if (!old || old.value !== now.value) { addEdges.push(now); }
    });
    if (addNodes.length) { nodes.update(addNodes); }
    if (addEdges.length) { edges.update(addEdges); }
    clusterNodes = wantNodes;
    clusterEdges = wantEdges;
  }
  function setCollapsed(community, on) {
    if (on) { state.collapsed[community] = true; } else { delete state.collapsed[community]; }
    applyFilters();
    var box = panel.querySelector("input[data-community='" + community + "']");
    if (box) { box.checked = on; }
    saveState();
  }
  network.on("click", function (params) {
    if (params.nodes.length === 1 && isCluster(params.nodes[0])) {
      setCollapsed(String(clusterNodes[params.nodes[0]].community), false);
      return;
    }
    showDetails(params.nodes.length ? params.nodes[0] : params.edges.length ? params.edges[0] : null);
  });

  // ---- search and focus ----------------------------------------------------------------------
  // Names compared without case, Arabic diacritics and tatweel, with alef, yaa, taa marbuta and
  // hamza seats folded and Russian yo as ye.
  function fold(text) {
    return String(text).toLowerCase().normalize("NFC")
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627").replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647")
      .replace(/\u0624/g, "\u0648").replace(/\u0626/g, "\u064A").replace(/\u0451/g, "\u0435")
      .replace(/[\s\u200c\u200f\u200e]+/g, " ").trim();
  }
  var searchIndex = allNodes.map(function (n) {
    var names = [n.label_ar, n.label_en].concat(n.names || []).filter(Boolean).map(fold);
    return {id: n.id, names: names};
  });
  function search(query) {
    var q = fold(query);
    if (!q) { return []; }
    var found = [];
    searchIndex.forEach(function (entry) {
      var rank = 9;
      entry.names.forEach(function (name) {
        if (name === q) { rank = Math.min(rank, 0); }
        else if (name.indexOf(q) === 0) { rank = Math.min(rank, 1); }
        else if (name.indexOf(q) > 0) { rank = Math.min(rank, 2); }
      });
      if (rank < 9) { found.push([rank, -(nodeById[entry.id].metrics.degree || 0), entry.id]); }
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return found.slice(0, 8).map(function (f) { return f[2]; });
  }
  function focusOn(id, hops) {
    state.focus = id && nodeById[id] ? id : "";
    if (hops) { state.hops = hops; }
    if (state.focus) {
      var c = nodeById[state.focus].community;
      if (state.collapsed[c]) { setCollapsed(String(c), false); }
    }
    applyFilters();
    if (state.focus && window.cdkgSettled) { centreOnFocus(); }
    if (searchBox && state.focus && !searchBox.value) { searchBox.value = labelIn(nodeById[state.focus], lang); }
  }
  function centreOnFocus() {
    network.focus(state.focus, {scale: Math.max(network.getScale(), 0.8), animation: false});
    network.selectNodes([state.focus]);
    placeLabels();
  }

  // ---- time slider with play -----------------------------------------------------------------
  var timer = null;
  function timeIndex() {
    if (!state.time) { return dates.length; }
    var i = 0;
    while (i < dates.length && dates[i] <= state.time) { i += 1; }
    return Math.max(0, i - 1);
  }
  function setTimeIndex(i) {
    state.time = i >= dates.length ? "" : dates[i];
    if (timeSlider) { timeSlider.value = String(i); }
    if (timeLabel) { timeLabel.textContent = state.time ? t("upTo") + " " + state.time : t("all"); }
    applyFilters();
  }
  function play() {
    if (timer !== null) { stop(); return; }
    var steps = Math.min(dates.length, 60), i = timeIndex() >= dates.length ? 0 : timeIndex();
    var stride = Math.max(1, Math.ceil(dates.length / steps));
    if (playButton) { playButton.textContent = t("pause"); }
    setTimeIndex(i);
    timer = window.setInterval(function () {
      i = Math.min(dates.length, i + stride);
      setTimeIndex(i);
      if (i >= dates.length) { stop(); }
    }, 400);
  }
  function stop() {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
    if (playButton) { playButton.textContent = t("play"); }
  }

  // ---- export --------------------------------------------------------------------------------
  function download(name, href) {
    var a = el("a", null, {download: name});
    a.setAttribute("href", href);
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function exportPng() {
    var canvas = document.querySelector("#mynetwork canvas");
    var copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    var context = copy.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, copy.width, copy.height);
    context.drawImage(canvas, 0, 0);
    download(config.view + "-" + lang + ".png", copy.toDataURL("image/png"));
  }
  function csvCell(value) {
    var text = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  // no formulas when opened in a spreadsheet
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function visibleNodes() {
    var drawn = {};
    network.body.nodeIndices.forEach(function (id) { drawn[id] = true; });
    return allNodes.filter(function (n) { return drawn[n.id] && !(inFocus && !inFocus[n.id]); });
  }
  function nodesCsv() {
    var columns = ["id", "label_en", "label_ar", "type", "degree", "weighted_degree", "betweenness", "eigenvector",
                   "community"];
    var rows = [columns.join(",")];
    visibleNodes().sort(function (a, b) { return b.metrics.degree - a.metrics.degree || (a.id < b.id ? -1 : 1); })
      .forEach(function (n) {
        var m = n.metrics;
        rows.push([n.id, n.label_en, n.label_ar, n.ctype, m.degree, m.weighted_degree, m.betweenness, m.eigenvector,
                   m.community].map(csvCell).join(","));
      });
    return rows.join("\r\n") + "\r\n";
  }
  function exportCsv() {
    download(config.view + "-visible.csv", "data:text/csv;charset=utf-8," + encodeURIComponent("\uFEFF" + nodesCsv()));
  }

  // ---- panel ---------------------------------------------------------------------------------
  var panel = el("div", null, {id: "cdkg-panel"});
  document.body.appendChild(panel);
  var status = null, searchBox = null, timeSlider = null, timeLabel = null, playButton = null;
  function heading(key) { panel.appendChild(el("h2", t(key))); }
  function button(text, attrs, onClick) {
    var b = el("button", text, Object.assign({type: "button"}, attrs || {}));
    b.addEventListener("click", onClick);
    return b;
  }
  function buildSearch() {
    heading("search");
    var row = el("div", null, {"class": "row"});
    searchBox = el("input", null, {type: "search", id: "cdkg-search", dir: "auto", placeholder: t("searchHint"),
                                   autocomplete: "off", "aria-label": t("search")});
    var results = el("div", null, {id: "cdkg-results"});
    function showResults() {
      results.textContent = "";
      var found = search(searchBox.value);
      if (searchBox.value && !found.length) { results.appendChild(el("div", t("noMatch"), {"class": "count"})); }
      found.forEach(function (id) {
        results.appendChild(button(labelIn(nodeById[id], lang), {"data-node": id, dir: "auto", "class": "result"},
          function () { results.textContent = ""; focusOn(id); }));
      });
      return found;
    }
    searchBox.addEventListener("input", showResults);
    searchBox.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var found = showResults();
        if (found.length) { results.textContent = ""; focusOn(found[0]); }
      } else if (event.key === "Escape") { searchBox.value = ""; results.textContent = ""; focusOn(""); }
    });
    row.appendChild(searchBox);
    var hops = el("select", null, {id: "cdkg-hops", "aria-label": t("hops")});
    [[1, "hop1"], [2, "hop2"]].forEach(function (pair) {
      var o = el("option", t(pair[1]), {value: String(pair[0])});
      if (pair[0] === state.hops) { o.selected = true; }
      hops.appendChild(o);
    });
    hops.addEventListener("change", function () { state.hops = parseInt(hops.value, 10); applyFilters(); });
    row.appendChild(hops);
    row.appendChild(button(t("clear"), {id: "cdkg-clear"}, function () {
      searchBox.value = ""; results.textContent = ""; focusOn(""); network.unselectAll();
    }));
    panel.appendChild(row);
    panel.appendChild(results);
    if (state.focus) { searchBox.value = labelIn(nodeById[state.focus], lang); }
  }
  function buildWeight() {
    if (weights.length < 2) { return; }
    heading("minWeight");
    var row = el("label", null, {"class": "row"});
    var index = 0;
    weights.forEach(function (w, i) { if (w <= state.minWeight) { index = i; } });
    var slider = el("input", null, {type: "range", id: "cdkg-weight", min: "0", max: String(weights.length - 1),
                                    step: "1", value: String(index)});
    var shown = el("span", fmt(weights[index]), {"class": "count", id: "cdkg-weight-value"});
    slider.addEventListener("input", function () {
      state.minWeight = weights[parseInt(slider.value, 10)];
      shown.textContent = fmt(state.minWeight);
      applyFilters();
    });
    row.appendChild(slider);
    row.appendChild(shown);
    panel.appendChild(row);
  }
  function buildTime() {
    heading("time");
    if (!dates.length) { return; }
    var row = el("div", null, {"class": "row"});
    timeSlider = el("input", null, {type: "range", id: "cdkg-time", min: "0", max: String(dates.length), step: "1",
                                    value: String(timeIndex()), dir: "ltr"});
    timeSlider.addEventListener("input", function () { stop(); setTimeIndex(parseInt(timeSlider.value, 10)); });
    playButton = button(timer === null ? t("play") : t("pause"), {id: "cdkg-play"}, play);
    row.appendChild(timeSlider);
    row.appendChild(playButton);
    panel.appendChild(row);
    timeLabel = el("div", state.time ? t("upTo") + " " + state.time : t("all"), {id: "cdkg-time-label", "class": "count"});
    panel.appendChild(timeLabel);
    var undatedLabel = el("label");
    var undatedBox = el("input", null, {type: "checkbox", id: "cdkg-undated"});
    undatedBox.checked = state.undated;
    undatedBox.addEventListener("change", function () { state.undated = undatedBox.checked; applyFilters(); });
    undatedLabel.appendChild(undatedBox);
    undatedLabel.appendChild(el("span", t("undated")));
    panel.appendChild(undatedLabel);
  }
  function buildColour() {
    heading("colour");
    var select = el("select", null, {id: "cdkg-colour"});
    [["class", "byClass"], ["community", "byCommunity"]].forEach(function (pair) {
      var o = el("option", t(pair[1]), {value: pair[0]});
      if (pair[0] === state.colour) { o.selected = true; }
      select.appendChild(o);
    });
    select.addEventListener("change", function () { setColour(select.value); });
    panel.appendChild(select);
  }
  function buildCommunities() {
    if (!config.communities.length) { return; }
    heading("communities");
    var row = el("div", null, {"class": "row"});
    row.appendChild(button(t("collapseAll"), {id: "cdkg-collapse-all"}, function () {
      config.communities.forEach(function (c) { state.collapsed[c.id] = true; });
      buildPanel(); applyFilters();
    }));
    row.appendChild(button(t("expandAll"), {id: "cdkg-expand-all"}, function () {
      state.collapsed = {};
      buildPanel(); applyFilters();
    }));
    panel.appendChild(row);
    config.communities.forEach(function (c) {
      var label = el("label", null, {"class": "community"});
      var box = el("input", null, {type: "checkbox", "data-community": String(c.id), title: t("cluster")});
      box.checked = !!state.collapsed[c.id];
      box.addEventListener("change", function () { setCollapsed(String(c.id), box.checked); });
      label.appendChild(box);
      var swatch = el("span", SYMBOL.dot, {"class": "swatch"});
      swatch.style.color = state.colour === "community" ? c.colour : OTHER_COMMUNITY;
      label.appendChild(swatch);
      label.appendChild(el("span", communityName(c), {dir: "auto", "class": "name"}));
      label.appendChild(el("span", String(c.size), {"class": "count"}));
      panel.appendChild(label);
    });
  }
  function buildPanel() {
    panel.textContent = "";
    panel.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    panel.setAttribute("lang", lang);
    panel.appendChild(el("h1", config.title[lang], {dir: "auto"}));
    var langs = el("div", null, {"class": "row"});
    [["ar", "العربية"], ["en", "English"]].forEach(function (pair) {
      langs.appendChild(button(pair[1], {"data-lang": pair[0], "aria-pressed": String(pair[0] === lang)},
        function () { setLanguage(pair[0]); }));
    });
    panel.appendChild(langs);
    buildSearch();
    heading("size");
    var select = el("select", null, {id: "cdkg-size"});
    ["degree", "betweenness", "eigenvector"].forEach(function (m) {
      var o = el("option", t(m), {value: m});
      if (m === state.size) { o.selected = true; }
      select.appendChild(o);
    });
    select.addEventListener("change", function () { setSize(select.value); });
    panel.appendChild(select);
    buildColour();
    heading("types");
    var counts = {};
    allNodes.forEach(function (n) { counts[n.ctype] = (counts[n.ctype] || 0) + 1; });
    config.classes.forEach(function (c) {
      var label = el("label");
      var box = el("input", null, {type: "checkbox", "data-type": c.key});
      box.checked = !state.typesOff[c.key];
      box.addEventListener("change", function () {
        if (box.checked) { delete state.typesOff[c.key]; } else { state.typesOff[c.key] = true; }
        applyFilters();
      });
      label.appendChild(box);
      var swatch = el("span", SYMBOL[c.shape] || SYMBOL.dot, {"class": "swatch"});
      swatch.style.color = state.colour === "class" ? c.color : "#666666";
      label.appendChild(swatch);
      label.appendChild(el("span", c[lang]));
      label.appendChild(el("span", String(counts[c.key] || 0), {"class": "count"}));
      panel.appendChild(label);
    });
    if (relationOrder.length) {
      heading("edgeTypes");
      relationOrder.forEach(function (r) {
        var label = el("label", null, {"class": "edge-legend"});
        var box = el("input", null, {type: "checkbox", "data-relation": r});
        box.checked = !state.relationsOff[r];
        box.addEventListener("change", function () {
          if (box.checked) { delete state.relationsOff[r]; } else { state.relationsOff[r] = true; }
          applyFilters();
        });
        label.appendChild(box);
        var line = el("span", null, {"class": "edge-swatch"});
        line.style.backgroundColor = relationColour[r];
        label.appendChild(line);
        label.appendChild(el("span", relationName(r)));
        label.appendChild(el("span", String(relationCount[r]), {"class": "count"}));
        panel.appendChild(label);
      });
    }
    buildWeight();
    buildTime();
    buildCommunities();
    heading("exportTitle");
    var exports = el("div", null, {"class": "row"});
    exports.appendChild(button(t("png"), {id: "cdkg-png"}, exportPng));
    exports.appendChild(button(t("csv"), {id: "cdkg-csv"}, exportCsv));
    panel.appendChild(exports);
    status = el("div", null, {id: "cdkg-status"});
    panel.appendChild(status);
    panel.appendChild(el("div", config.reduced, {id: "cdkg-reduced", dir: "ltr"}));
  }
  function setLanguage(next) {
    lang = state.lang = next;
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

  // ---- labels by centrality ------------------------------------------------------------------
  // Labels go on the most central nodes first (by the size metric; within a focus, only on its
  // neighbourhood), each only where its box overlaps no label already placed on screen. Labels
  // keep one size on screen at any zoom, so zooming in makes room for more.
  var FONT_SIZE = 15, SCREEN_FONT = 13, FONT_FACE = "DejaVu Sans, Noto Sans Arabic, Arial, sans-serif", LABEL_PAD = 4;
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT_SIZE + "px " + FONT_FACE;
  var labelShown = {};
  window.cdkgLabelsPlaced = 0;
  var MAX_LABEL = 48, MIN_LABEL = 6;
  function textWidth(text) { return measure.measureText(text).width * SCREEN_FONT / FONT_SIZE; }
  // ``text``, or its longest start (at most MAX_LABEL characters) that with "…" fits ``room`` pixels.
  function fitText(text, room) {
    var chars = Array.from(text);
    if (chars.length <= MAX_LABEL && textWidth(text) <= room) { return text; }
    var low = 0, high = Math.min(chars.length, MAX_LABEL);
    while (low < high) {
      var mid = Math.ceil((low + high) / 2);
      if (textWidth(chars.slice(0, mid).join("").trim() + "\u2026") <= room) { low = mid; } else { high = mid - 1; }
    }
    return low >= MIN_LABEL ? chars.slice(0, low).join("").trim() + "\u2026" : "";
  }
  function placeLabels() {
    var scale = network.getScale(), size = SCREEN_FONT / scale;
    var ids = network.body.nodeIndices.filter(function (id) {
      return !hiddenNode[id] && (!inFocus || inFocus[id] || !nodeById[id]);
    });
    var positions = network.getPositions(ids);
    var metric = state.size;
    function rank(id) {
      if (id === state.focus) { return Infinity; }
      var n = nodeById[id];
      if (!n) { return 1e9; }  // community clusters first
      return n.metrics[metric] || 0;
    }
    ids.sort(function (a, b) { return rank(b) - rank(a) || (a < b ? -1 : a > b ? 1 : 0); });
    var placed = [], view = document.getElementById("mynetwork").getBoundingClientRect();
    var changes = [], want = {};
    ids.forEach(function (id) {
      var p = positions[id], body = network.body.nodes[id];
      if (!p || !body) { return; }
      var text = nodeById[id] ? labelIn(nodeById[id], lang) : isCluster(id) ? communityName(communityInfo[clusterNodes[id].community]) : "";
      var dom = network.canvasToDOM(p);
      var radius = (body.shape && body.shape.radius ? body.shape.radius : 10) * scale;
      var h = SCREEN_FONT * 1.3 + 2 * LABEL_PAD;
      if (dom.y + radius < 0 || dom.y + radius + h > view.height || dom.x < 0 || dom.x > view.width) { return; }
      // a label centred on its node, cut short (…) where it would run past the canvas's side
      text = fitText(text, 2 * Math.min(dom.x, view.width - dom.x) - 2 * LABEL_PAD);
      if (!text) { return; }
      var w = textWidth(text) + 2 * LABEL_PAD;
      var box = {x: dom.x - w / 2, y: dom.y + radius, w: w, h: h};
      var free = placed.every(function (o) {
        return box.x + box.w <= o.x || o.x + o.w <= box.x || box.y + box.h <= o.y || o.y + o.h <= box.y;
      });
      if (free) { placed.push(box); want[id] = text; }
    });
    allNodes.forEach(function (n) {
      var on = !!want[n.id];
      if (on) { changes.push({id: n.id, label: want[n.id], font: {size: size}}); }
      else if (labelShown[n.id] !== false) { changes.push({id: n.id, label: ""}); }
      labelShown[n.id] = on;
    });
    Object.keys(clusterNodes).forEach(function (id) {
      var c = communityInfo[clusterNodes[id].community];
      var label = want[id] || "";
      if (clusterNodes[id].label !== label || want[id]) {
        clusterNodes[id].label = label;
        changes.push({id: id, label: label, font: {size: size}});
      }
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

  // Served by `cdkg serve` (http, not file://): double-click a node to open its entity page there.
  function entityPage(id) {
    var m = typeof id === "string" && /^https:\/\/w3id\.org\/cdkg\/id\/(.+)$/.exec(id);
    return m && /^https?:$/.test(location.protocol) ? "/id/" + m[1] : null;
  }
  network.on("doubleClick", function (params) {
    var page = entityPage(params.nodes && params.nodes[0]);
    if (page) { location.href = page; }
  });

  // The view is settled once it has been drawn, fitted (or centred on the focus) and labelled.
  window.cdkgSettled = false;
  function settle() {
    if (window.cdkgSettled) { return; }
    times.drawn = performance.now();
    network.fit({animation: false, maxZoomLevel: 1.5});
    if (state.focus) { centreOnFocus(); } else { placeLabels(); }
    times.labelled = performance.now();
    window.cdkgSettled = true;
  }
  function restore() {
    stop();
    restoring = true;
    readState();
    if (state.size !== config.sizeBy) {
      config.sizeBy = state.size;
      nodes.update(allNodes.map(function (n) { return {id: n.id, value: n.metrics[state.size]}; }));
    }
    setLanguage(state.lang);
    restoring = false;
    if (window.cdkgSettled) {
      if (state.focus) { centreOnFocus(); } else { network.fit({animation: false, maxZoomLevel: 1.5}); placeLabels(); }
    }
  }
  window.addEventListener("hashchange", function () { if (location.hash.replace(/^#/, "") !== stateHash()) { restore(); } });
  network.once("afterDrawing", function () { window.setTimeout(settle, 0); });
  window.cdkg = {
    tipOf: tipOf, setLanguage: setLanguage, placeLabels: placeLabels, applyFilters: applyFilters, setSize: setSize,
    labelOf: function (id) { return labelIn(nodeById[id], lang); }, search: search, focus: focusOn,
    state: function () { return JSON.parse(JSON.stringify(state)); }, hash: stateHash, csv: nodesCsv,
    visibleNodes: function () { return visibleNodes().map(function (n) { return n.id; }); },
    entityPage: entityPage, nodePosition: function (id) { return network.canvasToDOM(network.getPositions([id])[id]); },
    dates: dates, weights: weights, nodeCount: allNodes.length, edgeCount: allEdges.length
  };
  restore();
  network.redraw();
  if (!allNodes.length) { window.cdkgSettled = true; }
})();
