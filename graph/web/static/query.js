// The query page: YASGUI on this server's /sparql, prefixes preloaded, the query library in tabs.
(function () {
  var prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  var header = Object.keys(prefixes).map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; }).join("\n");
  if (typeof Yasgui === "undefined") { return; }

  // A bar chart for answers with one numeric column (counts per state, per year...): drawn in SVG
  // here, since YASR's chart plugin would load a charting library from the network.
  function Chart(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Chart"; this.hideFromSelection = false; }
  Chart.prototype.series = function () {
    var results = this.yasr.results;
    if (!results || !results.getBindings || !results.getVariables) { return null; }
    var vars = results.getVariables(), rows = results.getBindings() || [];
    if (!rows.length || rows.length > 200) { return null; }
    var numeric = vars.filter(function (v) {
      return rows.every(function (b) {
        return b[v] && b[v].type !== "uri" && /(integer|decimal|double|float|int|long)$/.test(b[v].datatype || "");
      });
    });
    if (!numeric.length) { return null; }
    var value = numeric[0], label = vars.filter(function (v) { return v !== value; })[0];
    return rows.map(function (b) {
      var name = label && b[label] ? b[label].value : "";
      if (label && b[label] && b[label].type === "uri") { name = name.replace(/^.*[\/#]/, ""); }
      return {label: name, value: parseFloat(b[value].value)};
    });
  };
  Chart.prototype.canHandleResults = function () { return !!this.series(); };
  Chart.prototype.getIcon = function () { var icon = document.createElement("span"); icon.textContent = "▮▮"; return icon; };
  Chart.prototype.draw = function () {
    var data = this.series() || [], ns = "http://www.w3.org/2000/svg";
    var max = Math.max.apply(null, data.map(function (d) { return d.value; }).concat([1]));
    var bar = 22, width = 720, left = 260, svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "cdkg-chart");
    svg.setAttribute("width", width);
    svg.setAttribute("height", data.length * bar + 10);
    data.forEach(function (d, i) {
      var y = i * bar + 5, rect = document.createElementNS(ns, "rect"), text = document.createElementNS(ns, "text");
      rect.setAttribute("x", left); rect.setAttribute("y", y);
      rect.setAttribute("height", bar - 6); rect.setAttribute("width", Math.max(1, (width - left - 60) * d.value / max));
      rect.setAttribute("fill", "#486581");
      text.setAttribute("x", left - 8); text.setAttribute("y", y + bar / 2 + 2); text.setAttribute("text-anchor", "end");
      text.setAttribute("font-size", "12");
      text.textContent = d.label + "  " + d.value;
      svg.appendChild(rect); svg.appendChild(text);
    });
    this.yasr.resultsEl.appendChild(svg);
  };
  Yasgui.Yasr.registerPlugin("chart", Chart);
  Yasgui.Yasqe.defaults.value = header + "\n\nSELECT ?s ?p ?o WHERE {\n  GRAPH ?g { ?s ?p ?o }\n} LIMIT 20\n";
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];  // the others fetch from the network
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {endpoint: location.origin + "/sparql", method: "POST"},
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {getData: function () { return [{endpoint: location.origin + "/sparql"}]; }},
    persistenceId: null,
    yasr: {prefixes: prefixes, pluginOrder: ["table", "chart", "response"]}
  });
  window.cdkgYasgui = yasgui;
  // right-to-left text (Arabic) renders in its own direction in every result cell
  new MutationObserver(function () {
    document.querySelectorAll("#yasgui td:not([dir]), #yasgui th:not([dir])").forEach(function (cell) {
      cell.setAttribute("dir", "auto");
    });
  }).observe(document.getElementById("yasgui"), {childList: true, subtree: true});

  document.querySelectorAll("#library form.params").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = form.closest("li").dataset.name, params = {};
      form.querySelectorAll("input").forEach(function (input) { params[input.name] = input.value; });
      fetch("/library/bind", {method: "POST", headers: {"Content-Type": "application/json"},
                              body: JSON.stringify({name: name, params: params})})
        .then(function (r) { return r.text().then(function (b) { return [r.status, b]; }); })
        .then(function (answer) {
          if (answer[0] !== 200) { alert(answer[1]); return; }
          var added = yasgui.addTab(true, {name: name});
          var tab = typeof added === "string" ? yasgui.getTab(added) : added;
          tab.getYasqe().setValue(JSON.parse(answer[1]).query);
          tab.query();
        });
    });
  });
})();
