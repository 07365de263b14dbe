// The evidence page: highlight the fact named in the address (#claim-KEY) and scroll to its quote;
// with `cdkg serve --review`, send a reviewer's verdict with the token in a header.
(function () {
  function current() {
    document.querySelectorAll(".current").forEach(function (el) { el.classList.remove("current"); });
    var match = /^#claim-(.+)$/.exec(decodeURIComponent(location.hash));
    if (!match) { return; }
    var key = match[1];
    var marks = Array.prototype.filter.call(document.querySelectorAll("mark[data-claims]"), function (m) {
      return m.dataset.claims.split(" ").indexOf(key) >= 0;
    });
    marks.forEach(function (m) { m.classList.add("current"); });
    var fact = document.getElementById("fact-" + key);
    if (fact) { fact.classList.add("current"); }
    if (marks.length) { marks[0].scrollIntoView({block: "center"}); }
  }
  window.addEventListener("hashchange", current);
  current();

  var form = document.getElementById("reviewer");
  if (!form) { return; }
  form.reviewer.value = sessionStorage.getItem("cdkg-reviewer") || "";
  form.token.value = sessionStorage.getItem("cdkg-token") || "";
  document.querySelectorAll(".review button").forEach(function (button) {
    button.addEventListener("click", function () {
      var box = button.closest(".review");
      var reviewer = form.reviewer.value.trim(), token = form.token.value.trim();
      if (!reviewer || !token) { alert("Give your name and the token first."); return; }
      sessionStorage.setItem("cdkg-reviewer", reviewer);
      sessionStorage.setItem("cdkg-token", token);
      var body = {claim: box.dataset.claim, verdict: button.dataset.verdict, reviewer: reviewer};
      if (button.dataset.verdict === "corrected") { body.value = box.querySelector(".correction").value; }
      fetch("/review", {method: "POST", headers: {"Content-Type": "application/json", "X-Cdkg-Token": token},
                        body: JSON.stringify(body)})
        .then(function (r) { return r.text().then(function (t) { return [r.status, t]; }); })
        .then(function (answer) {
          if (answer[0] !== 200) { alert("Review refused (" + answer[0] + "): " + answer[1]); return; }
          location.reload();
        });
    });
  });
})();
