(function () {
  "use strict";
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function byId(id) { return document.getElementById(id); }

  // Sortable tables: click a header; numeric cells carry data-v, the rest sort as text. Only the first
  // <tbody> sorts (a second one holds reference points); rows with class "pin" stay on top.
  function cellKey(row, idx) {
    var cell = row.cells[idx];
    if (!cell) { return { n: NaN, s: "", hasV: false }; }
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
    each(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    pinned.concat(rows).forEach(function (r) { body.appendChild(r); });
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead) { return; }
    each(table.tHead.rows[0].cells, function (th, idx) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "Sort by this column");
      th.addEventListener("click", function () { sortTable(table, idx, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, idx, th); }
      });
    });
  });

  // --- the drill-down --------------------------------------------------------------------------------
  var list = byId("doc-list");
  var docs = list ? Array.prototype.slice.call(list.querySelectorAll("details.doc")) : [];
  docs.forEach(function (d, k) { d.setAttribute("data-k", String(k)); });

  // "Copied sentences": mark in the article the sentences a summary was copied from (one card at a time).
  function showSources(card, on) {
    var doc = card && card.closest("details.doc");
    if (!doc) { return; }
    each(doc.querySelectorAll('.src-btn[aria-pressed="true"]'), function (b) { b.setAttribute("aria-pressed", "false"); });
    var sentences = doc.querySelectorAll("details.art .s");
    each(sentences, function (s) { s.classList.remove("src"); });
    if (!on) { return; }
    var btn = card.querySelector(".src-btn");
    if (btn) { btn.setAttribute("aria-pressed", "true"); }
    var first = null;
    (card.getAttribute("data-src") || "").split(" ").forEach(function (k) {
      var s = k === "" ? null : sentences[parseInt(k, 10)];
      if (s) { s.classList.add("src"); first = first || s; }
    });
    var art = doc.querySelector("details.art");
    if (art && first) {
      art.open = true;
      var box = first.parentNode;
      box.scrollTop = Math.max(first.offsetTop - 8, 0);  // the box is the sentences' offsetParent
    }
  }
  document.addEventListener("click", function (e) {
    var btn = e.target && e.target.closest ? e.target.closest(".src-btn") : null;
    if (btn) { showSources(btn.closest(".card"), btn.getAttribute("aria-pressed") !== "true"); }
  });

  // Open the <details> a link points at (best/worst documents, failures); a leaderboard link also
  // singles out that system's summary.
  var pendingCard = null;
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id ? byId(id) : null;
    var want = pendingCard;
    pendingCard = null;
    if (!el || el.tagName !== "DETAILS") { return; }
    el.open = true;
    el.classList.remove("hidden");
    each(el.querySelectorAll(".card.hl"), function (c) { c.classList.remove("hl"); });
    var card = want ? el.querySelector('.card.sum[data-sys="' + want + '"]') : null;
    if (card) {
      card.classList.add("hl");
      showSources(card, true);
      card.scrollIntoView({ block: "center" });
    } else {
      el.scrollIntoView();
    }
  }
  each(document.querySelectorAll("a.bw"), function (a) {
    a.addEventListener("click", function () {
      var row = a.closest("tr");
      pendingCard = row ? row.getAttribute("data-card") : null;
      if (window.location.hash === a.getAttribute("href")) { window.setTimeout(openTarget, 0); }
    });
  });
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Search, sort and filter. The search reads the text already on the page; the sort key of a document
  // is a system's score (each summary card's data-v) or the gap between two systems' scores.
  var box = byId("doc-search"), scope = byId("doc-scope"), sortBy = byId("doc-sort"), order = byId("doc-order");
  var gapA = byId("gap-a"), gapB = byId("gap-b"), gapPick = byId("gap-pick"), range = byId("doc-range");
  var lo = byId("doc-min"), hi = byId("doc-max"), count = byId("doc-count");
  var SELECT = { sum: ".card.sum .text", art: "details.art .text", ref: ".ref-list .text" };
  var cache = docs.map(function () { return { text: {}, scores: null }; });

  function text(k, where) {
    var c = cache[k].text;
    if (c[where] === undefined) {
      var d = docs[k], t;
      if (where === "title") { t = d.getAttribute("data-search") || ""; }
      else if (SELECT[where]) {
        t = Array.prototype.map.call(d.querySelectorAll(SELECT[where]), function (e) { return e.textContent; }).join("\n");
      } else { t = d.textContent; }
      c[where] = t.replace(/\s+/g, " ").toLowerCase();
    }
    return c[where];
  }
  function scores(k) {
    if (!cache[k].scores) {
      var out = {};
      each(docs[k].querySelectorAll(".card.sum"), function (c) {
        var v = c.getAttribute("data-v");
        if (v !== null && v !== "") { out[c.getAttribute("data-sys")] = parseFloat(v); }
      });
      cache[k].scores = out;
    }
    return cache[k].scores;
  }
  function optionText(select) {
    var o = select && select.options[select.selectedIndex];
    return o ? o.textContent : "";
  }
  function sortKey(k, how) {
    var s = scores(k), v;
    if (how === "gap") {
      var a = s[gapA.value], b = s[gapB.value];
      v = a === undefined || b === undefined ? NaN : a - b;
    } else {
      v = s[how.slice(1)];
    }
    return v === undefined ? NaN : v;
  }
  function number(input) {
    return input && input.value !== "" ? parseFloat(input.value) : NaN;
  }
  var lastOrder = "";
  function update() {
    var words = box ? box.value.trim().toLowerCase().split(/\s+/).filter(Boolean) : [];
    var where = scope ? scope.value : "all";
    var how = sortBy ? sortBy.value : "";
    if (gapPick) { gapPick.hidden = how !== "gap"; }
    if (range) { range.hidden = !how; }
    var min = how ? number(lo) : NaN, max = how ? number(hi) : NaN;
    var name = how === "gap" ? optionText(gapA) + " − " + optionText(gapB) : optionText(sortBy);
    var keys = [], shown = 0;
    docs.forEach(function (d, k) {
      var key = how ? sortKey(k, how) : NaN;
      keys.push(key);
      var hit = words.every(function (w) { return text(k, where).indexOf(w) !== -1; });
      if (hit && (!isNaN(min) || !isNaN(max))) {
        hit = !isNaN(key) && (isNaN(min) || key >= min) && (isNaN(max) || key <= max);
      }
      d.classList.toggle("hidden", !hit);
      if (hit) { shown += 1; }
      var pill = d.querySelector(".doc-key");
      if (pill) {
        pill.hidden = !how || isNaN(key);
        if (!pill.hidden) { pill.textContent = name + ": " + (how === "gap" && key > 0 ? "+" : "") + key.toFixed(2); }
      }
    });
    var asc = order && order.value === "asc";
    var signature = how + "|" + (how === "gap" && gapA && gapB ? gapA.value + "-" + gapB.value : "") + "|" + asc;
    if (signature !== lastOrder) {
      lastOrder = signature;
      var idx = docs.map(function (d, k) { return k; });
      if (how) {
        idx.sort(function (a, b) {
          var x = keys[a], y = keys[b], nx = isNaN(x), ny = isNaN(y);
          if (nx || ny) { return nx && ny ? a - b : (nx ? 1 : -1); }
          return x === y ? a - b : (asc ? x - y : y - x);
        });
      }
      idx.forEach(function (k) { list.appendChild(docs[k]); });
    }
    if (count) { count.textContent = shown + " of " + docs.length + " documents"; }
  }
  if (list && docs.length) {
    [box, lo, hi].forEach(function (el) { if (el) { el.addEventListener("input", update); } });
    [scope, sortBy, order, gapA, gapB].forEach(function (el) { if (el) { el.addEventListener("change", update); } });
    update();
  }
  function setAll(open) {
    docs.forEach(function (d) { if (!d.classList.contains("hidden")) { d.open = open; } });
  }
  var ex = byId("expand-all"), co = byId("collapse-all");
  if (ex) { ex.addEventListener("click", function () { setAll(true); }); }
  if (co) { co.addEventListener("click", function () { setAll(false); }); }
  document.documentElement.setAttribute("data-report-ready", "1");
})();
