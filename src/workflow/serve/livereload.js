// dangjian serve: reloads the page after each good rebuild and shows the errors of a failed
// one over the page. Put into pages only while serving; never part of a built site.
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? Number(me.getAttribute("data-version")) : NaN;
  var box = null;

  function overlay(state) {
    if (state.ok || !state.errors || state.errors.length === 0) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "dangjian-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#fff5f5;color:#222;border-top:4px solid #b3261e;" +
        "box-shadow:0 -4px 16px rgba(0,0,0,.25);padding:12px 16px;font:14px/1.6 sans-serif";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "关闭");
    close.style.cssText = "float:right;font-size:20px;line-height:1;border:0;background:none;cursor:pointer";
    close.onclick = function () { box.remove(); box = null; };
    var title = document.createElement("strong");
    title.style.color = "#b3261e";
    title.textContent = state.title;
    var list = document.createElement("pre");
    list.style.cssText = "margin:8px 0 0;white-space:pre-wrap;font:13px/1.5 monospace";
    list.textContent = state.errors.join("\n");
    box.appendChild(close);
    box.appendChild(title);
    box.appendChild(list);
  }

  if (!window.EventSource) { return; }
  var source = new EventSource("/__dangjian/events");
  source.addEventListener("state", function (e) {
    var state;
    try { state = JSON.parse(e.data); } catch (err) { return; }
    if (state.ok && state.version !== shown) {
      location.reload();
      return;
    }
    overlay(state);
  });
})();
