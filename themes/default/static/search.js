// Site search for gongkai. Chinese needs no segmenter here: every query term must occur as a
// substring of a page's title, 文号 or text, which finds any 2–4 character word (低保, 临时救助)
// and any 文号 fragment. Indexes are small per-unit JSON files written by the build.
// Also loadable from Node (module.exports) so the matching is tested without a browser.
(function () {
  "use strict";

  // Full-width ASCII to half-width, ideographic space to space, lower case; with a fold (the
  // 繁體 edition's index: Traditional → Simplified, one character for one), Traditional
  // characters to the Simplified ones, so a query in either script finds the text.
  function normalize(text, fold) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i), ch = text.charAt(i);
      if (c >= 0xff01 && c <= 0xff5e) {
        out += String.fromCharCode(c - 0xfee0);
      } else if (c === 0x3000) {
        out += " ";
      } else {
        out += (fold && fold[ch]) || ch;
      }
    }
    return out.toLowerCase();
  }

  // An index's fold, written as a string of (Traditional, Simplified) pairs.
  function foldOf(index) {
    if (!index.fold) return null;
    var fold = {};
    for (var i = 0; i + 1 < index.fold.length; i += 2) fold[index.fold.charAt(i)] = index.fold.charAt(i + 1);
    return fold;
  }

  function terms(query, fold) {
    return normalize(query, fold).split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  // Returns matching docs, best first: title hits, then 文号 hits, then newest.
  function search(indexes, query) {
    if (terms(query).length === 0) return [];
    var results = [];
    indexes.forEach(function (index) {
      var fold = foldOf(index), ts = terms(query, fold);
      index.docs.forEach(function (doc) {
        var title = normalize(doc.t, fold), number = normalize(doc.n || "", fold), text = normalize(doc.x || "", fold);
        var score = 0;
        for (var i = 0; i < ts.length; i++) {
          var t = ts[i];
          var inTitle = title.indexOf(t) >= 0, inNumber = number.indexOf(t) >= 0;
          if (!inTitle && !inNumber && text.indexOf(t) < 0 && normalize(doc.d, fold).indexOf(t) < 0) return;
          score += (inTitle ? 10 : 0) + (inNumber ? 5 : 0) + 1;
        }
        if (doc.k === "e") score += 2;
        results.push({ doc: doc, unit: index.unit, base: index.base, score: score, fold: fold });
      });
    });
    results.sort(function (a, b) {
      if (b.score !== a.score) return b.score - a.score;
      if (a.doc.p !== b.doc.p) return a.doc.p < b.doc.p ? 1 : -1;
      return a.doc.t < b.doc.t ? -1 : a.doc.t > b.doc.t ? 1 : 0;
    });
    return results;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // A short piece of text around the first hit, with every hit wrapped in <mark>.
  function excerpt(text, query, width, fold) {
    var ts = terms(query, fold), norm = normalize(text, fold), at = -1;
    for (var i = 0; i < ts.length && at < 0; i++) at = norm.indexOf(ts[i]);
    var start = Math.max(0, (at < 0 ? 0 : at) - (width || 40));
    var end = Math.min(text.length, start + 2 * (width || 40) + 20);
    var piece = text.slice(start, end), normPiece = norm.slice(start, end);
    var marks = [];
    ts.forEach(function (t) {
      var from = 0, k;
      while ((k = normPiece.indexOf(t, from)) >= 0) { marks.push([k, k + t.length]); from = k + t.length; }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var html = "", pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      html += escapeHtml(piece.slice(pos, m[0])) + "<mark>" + escapeHtml(piece.slice(m[0], m[1])) + "</mark>";
      pos = m[1];
    });
    html += escapeHtml(piece.slice(pos));
    return (start > 0 ? "…" : "") + html + (end < text.length ? "…" : "");
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { normalize: normalize, search: search, excerpt: excerpt };
    return;
  }

  function run() {
    var config = document.getElementById("search-config");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!config || !list || !status) return;
    var query = new URLSearchParams(window.location.search).get("q") || "";
    var box = document.getElementById("search-q");
    if (box) box.value = query;
    var site = document.getElementById("search-site");
    if (site && query) site.href = site.getAttribute("href") + "?q=" + encodeURIComponent(query);
    if (!query.trim()) { status.textContent = "请输入要搜索的词，如“低保”“临时救助”或文号。"; return; }
    status.textContent = "正在搜索……";
    var root = config.getAttribute("data-root") || "";
    var urls = JSON.parse(config.getAttribute("data-indexes") || "[]");
    // A failed fetch is never taken for "no results": opened from file:// the browser refuses
    // to read the index, and the page must say so instead of answering 没有找到.
    Promise.all(urls.map(function (u) {
      return fetch(u).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    })).then(function (indexes) {
      var loaded = indexes.filter(Boolean);
      if (loaded.length < urls.length) {
        unavailable(status, window.location.protocol === "file:");
        if (loaded.length === 0) return;
      }
      var found = search(loaded, query);
      if (loaded.length === urls.length) {
        status.textContent = found.length ? "找到 " + found.length + " 条结果" : "没有找到与“" + query + "”相关的信息。";
      } else if (found.length) {
        status.textContent = "在能读取的单位中找到 " + found.length + " 条结果（部分单位的索引没能读取，结果可能不全）";
      }
      list.innerHTML = found.slice(0, 200).map(function (r) {
        var d = r.doc, href = root + r.base + d.u;
        var date = d.p ? (d.k === "e" ? "发布日期 " : "更新时间 ") + d.p : "";
        var meta = [r.unit, d.d, date, d.n].filter(Boolean).map(escapeHtml).join(" · ");
        return '<li class="result' + (d.v ? " validity-lapsed" : "") + '"><a class="result-title" href="' + escapeHtml(href) + '">' + excerpt(d.t, query, 60, r.fold) +
          "</a>" + (d.v ? ' <span class="tag validity">' + escapeHtml(d.v) + "</span>" : "") +
          (d.k === "i" ? ' <span class="tag">目录事项</span>' : "") +
          '<span class="result-meta">' + meta + '</span><p class="result-excerpt">' + excerpt(d.x || "", query, 40, r.fold) + "</p></li>";
      }).join("");
    });
  }

  // Shows why the index could not be read and what to do instead (the page's own text).
  function unavailable(status, fromFile) {
    status.textContent = "无法读取搜索索引，搜索暂时无法使用。";
    var box = document.getElementById("search-unavailable");
    if (!box) return;
    box.hidden = false;
    var parts = box.querySelectorAll("[data-when]");
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = parts[i].getAttribute("data-when") !== (fromFile ? "file" : "http");
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
