/* Hodie "On this day" widget. Put where the list should appear:
 *   <script src="https://SITE/static/hodie/widget.js" data-collection="russia" data-limit="5" data-lang="ru" async></script>
 * data-lang (en or ru; the collection's language without it) chooses the language of the entries
 * and of the widget's own words; an entry not yet translated is shown in its own, marked with lang.
 * It asks the site's Wikimedia-shaped API for the reader's own today (their clock, their time
 * zone) and draws the list in a shadow root, so the host page's styles and ours stay apart.
 * Text is set with textContent only: nothing from the API is ever parsed as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  var collection = script.getAttribute("data-collection") || "";
  var limit = parseInt(script.getAttribute("data-limit") || "5", 10) || 5;
  var lang = script.getAttribute("data-lang") || "";
  var WORDS = {
    en: { heading: "On this day", none: "Nothing yet for today.", more: "More on this day →", failed: "Could not load today's entries.", bc: " BC" },
    ru: { heading: "В этот день", none: "На сегодня пока ничего нет.", more: "Ещё об этом дне →", failed: "Не удалось загрузить записи на сегодня.", bc: " до н. э." }
  };
  var words = WORDS[lang] || WORDS.en;
  var now = new Date();
  var mm = String(now.getMonth() + 1).padStart(2, "0");
  var dd = String(now.getDate()).padStart(2, "0");
  var host = document.createElement("div");
  host.className = "hodie-widget";
  script.parentNode.insertBefore(host, script);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var style = document.createElement("style");
  style.textContent = ":host{display:block;font:inherit;border:1px solid #d9cfbd;padding:.6em .9em;border-radius:4px;max-width:32em}" +
    "h2{font-size:1.05em;margin:.2em 0 .5em}ul{margin:0;padding-left:1.1em}li{margin:.25em 0}" +
    "a{color:inherit}.year{font-weight:bold}.more{font-size:.9em;margin-top:.5em}";
  root.appendChild(style);
  var heading = document.createElement("h2");
  heading.textContent = words.heading;
  if (WORDS[lang]) host.lang = lang;
  root.appendChild(heading);
  var list = document.createElement("ul");
  root.appendChild(list);
  var params = [];
  if (collection) params.push("collection=" + encodeURIComponent(collection));
  if (WORDS[lang]) params.push("lang=" + lang);
  var query = params.length ? "?" + params.join("&") : "";
  fetch(origin + "/api/rest_v1/feed/onthisday/all/" + mm + "/" + dd + query, { credentials: "omit" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) {
      var items = (data.selected && data.selected.length ? data.selected : (data.events || [])).slice(0, limit);
      if (!items.length) { var li = document.createElement("li"); li.textContent = words.none; list.appendChild(li); }
      items.forEach(function (item) {
        var li = document.createElement("li");
        if (item.lang) li.lang = item.lang;  // not translated yet: in its own language
        if (item.year !== undefined) {
          var year = document.createElement("span");
          year.className = "year";
          year.textContent = (item.year < 0 ? (-item.year) + words.bc : String(item.year)) + ": ";
          li.appendChild(year);
        }
        var page = item.pages && item.pages[0];
        var url = page && page.content_urls && page.content_urls.desktop && page.content_urls.desktop.page;
        var text = (page && page.displaytitle) || item.text;
        if (url && /^https?:\/\//.test(url)) {
          var a = document.createElement("a");
          a.href = url; a.textContent = text; a.target = "_top"; a.rel = "noopener";
          li.appendChild(a);
        } else {
          li.appendChild(document.createTextNode(text));
        }
        list.appendChild(li);
      });
      var more = document.createElement("p");
      more.className = "more";
      var link = document.createElement("a");
      link.href = origin + "/" + (collection ? collection + "/today/" : "");
      link.textContent = words.more;
      link.target = "_top";
      more.appendChild(link);
      root.appendChild(more);
    })
    .catch(function () { var li = document.createElement("li"); li.textContent = words.failed; list.appendChild(li); });
})();
