/* dangjian — progressive enhancement for <table class="sortable">.
 * Without JS the table keeps its meaningful server-side order (e.g. by rank).
 * With JS each header becomes a button; clicking sorts by that column and sets aria-sort.
 * Cell value: data-sort attribute if present, else its text. A column is numeric when every
 * non-empty value parses as a number (after removing "%", "+", ",", "分", "名", "个", spaces).
 * Headers with data-nosort are left alone. Ties keep the original order. */
(function () {
  "use strict";

  var collator = (window.Intl && Intl.Collator) ? new Intl.Collator("zh-CN", { numeric: true }) : null;

  function raw(cell) {
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return (v !== null ? v : cell.textContent).trim();
  }

  function toNumber(s) {
    var t = s.replace(/[%+,，\s分名个位]/g, "").replace(/^[−–]/, "-");
    if (t === "" || t === "—" || t === "-") return null;
    return /^-?\d+(\.\d+)?$/.test(t) ? parseFloat(t) : NaN;
  }

  function cellAt(row, index) {
    // Honour colspan so columns line up with the header.
    var col = 0;
    for (var i = 0; i < row.cells.length; i++) {
      var c = row.cells[i];
      if (col === index) return c;
      col += c.colSpan || 1;
      if (col > index) return null;
    }
    return null;
  }

  function columnIndex(th) {
    var col = 0, cells = th.parentNode.cells;
    for (var i = 0; i < cells.length && cells[i] !== th; i++) col += cells[i].colSpan || 1;
    return col;
  }

  function sortTable(table, th, index) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { if (!r.hasAttribute("data-orig")) r.setAttribute("data-orig", i); });
    var values = rows.map(function (r) { return raw(cellAt(r, index)); });
    var numeric = values.every(function (v) { var n = toNumber(v); return n === null || !isNaN(n); })
      && values.some(function (v) { return toNumber(v) !== null; });

    var current = th.getAttribute("aria-sort");
    // First click: numbers high→low (scores), text A→Z; then toggle.
    var dir = current === "descending" ? "ascending"
      : current === "ascending" ? "descending"
      : (numeric ? "descending" : "ascending");
    var sign = dir === "ascending" ? 1 : -1;

    var keyed = rows.map(function (r, i) {
      return { r: r, v: numeric ? toNumber(values[i]) : values[i], o: +r.getAttribute("data-orig") };
    });
    keyed.sort(function (a, b) {
      var c;
      if (numeric) {
        if (a.v === null && b.v === null) c = 0;
        else if (a.v === null) return 1;       // empty cells always last
        else if (b.v === null) return -1;
        else c = a.v - b.v;
      } else {
        c = collator ? collator.compare(a.v, b.v) : (a.v < b.v ? -1 : a.v > b.v ? 1 : 0);
      }
      return c * sign || a.o - b.o;
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k.r); });
    body.appendChild(frag);

    Array.prototype.forEach.call(table.querySelectorAll("thead th[aria-sort]"), function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", dir);
    var live = table.parentNode.querySelector(".sort-status");
    if (live) live.textContent = "已按“" + th.textContent.trim() + "”" + (dir === "ascending" ? "升序" : "降序") + "排列";
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return;
    var headerRow = head.rows[head.rows.length - 1];
    Array.prototype.forEach.call(headerRow.cells, function (th) {
      if (th.hasAttribute("data-nosort")) return;
      var index = columnIndex(th);
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "sort-btn";
      while (th.firstChild) btn.appendChild(th.firstChild);
      th.appendChild(btn);
      btn.addEventListener("click", function () { sortTable(table, th, index); });
    });
    var live = document.createElement("p");
    live.className = "sort-status visually-hidden";
    live.setAttribute("aria-live", "polite");
    table.parentNode.insertBefore(live, table);
  });
})();
