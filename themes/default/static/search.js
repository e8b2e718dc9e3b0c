/* dangjian — client-side search that works from file:// (no fetch, no server).
 * The index is a plain script, search-index.js, at the site root:
 *   window.DANGJIAN_SEARCH = {docs: [{t: "标题", u: "2026/branch/b01.html", k: "branch", y: 2026, s: "所属组织 · 工作总结…"}, …]};
 * It is loaded (as a <script> element, which file:// allows) the first time the search box
 * is used, not by every page: a province's index is tens of megabytes. A page that already
 * has it (a theme that includes the script) uses it as it is.
 * `u` is relative to the site root; the page says where the root is with
 *   <html data-root="../">   (empty for pages at the root).
 * Chinese matching: substring first, then character bigrams (no word segmentation needed).
 * Keyboard: "/" focuses the box; ↓/↑ move through results; Enter opens; Esc closes.
 * Data is only ever written with textContent, never innerHTML. */
(function () {
  "use strict";

  var KIND = { branch: "支部", org: "组织", indicator: "指标", year: "年度", page: "页面" };
  var MAX_RESULTS = 30;

  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-panel");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !panel || !list || !status) return;

  var root = document.documentElement.getAttribute("data-root") || "";
  var data = null;
  var loading = false;
  var waiting = [];

  function ready() {
    data = window.DANGJIAN_SEARCH && window.DANGJIAN_SEARCH.docs;
    if (!data || !data.length) {
      data = null;
      input.placeholder = "搜索索引未加载";
      status.textContent = "搜索索引未能载入（search-index.js）。可查看支部排名，或使用浏览器的页内查找（Ctrl+F）。";
      panel.hidden = false;
      waiting = [];
      return;
    }
    input.closest(".search").classList.add("search-ready");
    var w = waiting;
    waiting = [];
    w.forEach(function (f) { f(); });
  }

  // Runs `then` once the index is there, loading it the first time.
  function withIndex(then) {
    if (data) { then(); return; }
    if (then) waiting.push(then);
    if (loading) return;
    loading = true;
    if (window.DANGJIAN_SEARCH) { ready(); return; }
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.onload = ready;
    script.onerror = ready;
    document.head.appendChild(script);
  }

  function norm(s) {
    s = String(s || "");
    if (s.normalize) s = s.normalize("NFKC"); // full-width Ａ１ → A1, compatibility forms
    return s.toLowerCase().replace(/\s+/g, " ").trim();
  }

  function bigrams(s) {
    var out = [];
    var chars = Array.from(s.replace(/\s+/g, ""));
    if (chars.length === 1) return chars;
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }

  // Lazily prepared documents.
  var docs = null;
  function prepare() {
    if (docs) return docs;
    docs = data.map(function (d, i) {
      var t = norm(d.t), s = norm(d.s);
      var grams = Object.create(null);
      bigrams(t + " " + s).forEach(function (g) { grams[g] = true; });
      return { d: d, i: i, t: t, s: s, grams: grams };
    });
    return docs;
  }

  // Score one term against one doc; 0 = no match.
  function scoreTerm(doc, term) {
    var ti = doc.t.indexOf(term);
    if (ti === 0) return 20;
    if (ti > 0) return 12;
    if (doc.s.indexOf(term) >= 0) return 6;
    var gs = bigrams(term);
    if (gs.length < 2) return 0; // one character: substring only
    var hit = 0;
    for (var i = 0; i < gs.length; i++) if (doc.grams[gs[i]]) hit++;
    var ratio = hit / gs.length;
    return ratio >= 0.6 ? 4 * ratio : 0;
  }

  function search(q) {
    var terms = norm(q).split(" ").filter(Boolean);
    if (!terms.length) return [];
    var res = [];
    prepare().forEach(function (doc) {
      var total = 0;
      for (var i = 0; i < terms.length; i++) {
        var sc = scoreTerm(doc, terms[i]);
        if (!sc) return;
        total += sc;
      }
      res.push({ doc: doc, score: total });
    });
    res.sort(function (a, b) { return b.score - a.score || a.doc.i - b.doc.i; });
    return res.slice(0, MAX_RESULTS).map(function (r) { return { doc: r.doc, terms: terms, count: res.length }; });
  }

  // Append text to el, wrapping the first occurrence of any term in <mark>.
  function appendMarked(el, text, terms) {
    var low = norm(text);
    var best = -1, len = 0;
    terms.forEach(function (t) {
      var p = low.indexOf(t);
      if (p >= 0 && (best < 0 || p < best)) { best = p; len = t.length; }
    });
    // norm() may change length (NFKC); only mark when lengths line up.
    if (best < 0 || low.length !== text.length) { el.appendChild(document.createTextNode(text)); return; }
    var start = Math.max(0, best - 30);
    var pre = (start > 0 ? "…" : "") + text.slice(start, best);
    el.appendChild(document.createTextNode(pre));
    var m = document.createElement("mark");
    m.textContent = text.slice(best, best + len);
    el.appendChild(m);
    el.appendChild(document.createTextNode(text.slice(best + len, best + len + 60)));
  }

  function render(q) {
    list.textContent = "";
    var results = search(q);
    var count = results.length ? results[0].count : 0;
    status.textContent = count
      ? "找到 " + count + " 条结果" + (count > MAX_RESULTS ? "，显示前 " + MAX_RESULTS + " 条" : "") + "。按 ↓ 键浏览，Enter 打开。"
      : "没有找到与“" + q.trim() + "”相关的内容。";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.doc.d.u;
      // A name isolated: its own direction cannot reorder the text around it.
      var title = document.createElement("bdi");
      title.className = "r-title";
      appendMarked(title, r.doc.d.t, r.terms);
      a.appendChild(title);
      if (r.doc.d.k) {
        var kind = document.createElement("span");
        kind.className = "r-kind";
        kind.textContent = (KIND[r.doc.d.k] || r.doc.d.k) + (r.doc.d.y ? " · " + r.doc.d.y : "");
        a.appendChild(kind);
      }
      if (r.doc.d.s) {
        var snip = document.createElement("span");
        snip.className = "r-snippet";
        appendMarked(snip, r.doc.d.s.length > 200 ? r.doc.d.s : r.doc.d.s, r.terms);
        a.appendChild(snip);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    panel.hidden = false;
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  function close(refocus) {
    panel.hidden = true;
    if (refocus) input.focus();
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    if (!data) {
      status.textContent = "正在载入搜索索引…";
      panel.hidden = false;
    }
    timer = setTimeout(function () { withIndex(function () { render(input.value); }); }, 80);
  });
  // Focusing the box starts loading the index, so it is usually there by the first key.
  input.addEventListener("focus", function () {
    withIndex(function () { if (input.value) render(input.value); });
  });

  input.addEventListener("keydown", function (e) {
    var ls = links();
    if (e.key === "ArrowDown" && ls.length) { e.preventDefault(); ls[0].focus(); }
    else if (e.key === "Enter") {
      e.preventDefault();
      if (ls.length) window.location.href = ls[0].href;
    } else if (e.key === "Escape") { input.value = ""; close(false); }
  });

  list.addEventListener("keydown", function (e) {
    var ls = links();
    var i = ls.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowDown") { e.preventDefault(); if (i + 1 < ls.length) ls[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); if (i > 0) ls[i - 1].focus(); else input.focus(); }
    else if (e.key === "Home") { e.preventDefault(); ls[0].focus(); }
    else if (e.key === "End") { e.preventDefault(); ls[ls.length - 1].focus(); }
    else if (e.key === "Escape") { e.preventDefault(); close(true); }
    // Enter on a focused link follows it natively.
  });

  // "/" focuses the search box unless the user is typing somewhere.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  // Close when focus or a click leaves the search area.
  document.addEventListener("click", function (e) {
    if (!panel.hidden && !e.target.closest(".search")) close(false);
  });
  document.addEventListener("focusin", function (e) {
    if (!panel.hidden && !e.target.closest(".search")) close(false);
  });
})();
