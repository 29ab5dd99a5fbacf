(function () {
  "use strict";
  // Sortable tables: click a header; numeric cells carry data-v, the rest sort as text.
  function cellKey(row, idx) {
    var cell = row.cells[idx];
    if (!cell) { return { n: NaN, s: "" }; }
    var v = cell.getAttribute("data-v");
    return { n: v === null || v === "" ? NaN : parseFloat(v), s: cell.textContent.trim().toLowerCase(), hasV: v !== null };
  }
  function sortTable(table, idx, th) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    var pinned = rows.filter(function (r) { return r.classList.contains("pin"); });
    rows = rows.filter(function (r) { return !r.classList.contains("pin"); });
    rows.sort(function (a, b) {
      var ka = cellKey(a, idx), kb = cellKey(b, idx);
      if (ka.hasV || kb.hasV) {
        var na = isNaN(ka.n), nb = isNaN(kb.n);
        if (na && nb) { return 0; }
        if (na) { return 1; }
        if (nb) { return -1; }
        return asc ? ka.n - kb.n : kb.n - ka.n;
      }
      return asc ? ka.s.localeCompare(kb.s) : kb.s.localeCompare(ka.s);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    pinned.concat(rows).forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, idx) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "Sort by this column");
      th.addEventListener("click", function () { sortTable(table, idx, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, idx, th); }
      });
    });
  });

  // Open the <details> a link points at (best/worst documents, failures).
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var el = document.getElementById(id);
    if (el && el.tagName === "DETAILS") {
      el.open = true;
      el.classList.remove("hidden");
      el.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Document search by id and title.
  var box = document.getElementById("doc-search");
  var count = document.getElementById("doc-count");
  var docs = document.querySelectorAll("details.doc");
  function filter() {
    var q = box.value.trim().toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(docs, function (d) {
      var hit = !q || (d.getAttribute("data-search") || "").indexOf(q) !== -1;
      d.classList.toggle("hidden", !hit);
      if (hit) { shown += 1; }
    });
    if (count) { count.textContent = shown + " of " + docs.length + " documents"; }
  }
  if (box) { box.addEventListener("input", filter); filter(); }
  function setAll(open) {
    Array.prototype.forEach.call(docs, function (d) { if (!d.classList.contains("hidden")) { d.open = open; } });
  }
  var ex = document.getElementById("expand-all"), co = document.getElementById("collapse-all");
  if (ex) { ex.addEventListener("click", function () { setAll(true); }); }
  if (co) { co.addEventListener("click", function () { setAll(false); }); }
  document.documentElement.setAttribute("data-report-ready", "1");
})();
