// The query page: YASGUI on this server's /sparql, prefixes preloaded, the query library in tabs.
(function () {
  var prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  var header = Object.keys(prefixes).map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; }).join("\n");
  if (typeof Yasgui === "undefined") { return; }
  Yasgui.Yasqe.defaults.value = header + "\n\nSELECT ?s ?p ?o WHERE {\n  GRAPH ?g { ?s ?p ?o }\n} LIMIT 20\n";
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];  // the others fetch from the network
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {endpoint: location.origin + "/sparql", method: "POST"},
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {getData: function () { return [{endpoint: location.origin + "/sparql"}]; }},
    persistenceId: null,
    yasr: {prefixes: prefixes}
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
