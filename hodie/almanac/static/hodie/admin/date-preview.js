// Shows, as the editor types, how Hodie reads the date: both calendars and the day page.
(function () {
  "use strict";
  function setup() {
    var input = document.querySelector("input.hodie-date");
    if (!input) return;
    var out = document.createElement("div");
    out.className = "help hodie-date-preview";
    out.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(out);
    var collections = document.getElementById("id_in_collections");
    var calendar = document.getElementById("id_calendar_choice");
    var timer = null;
    function line(label, value) {
      var p = document.createElement("div");
      var b = document.createElement("strong");
      b.textContent = label + ": ";
      p.appendChild(b);
      p.appendChild(document.createTextNode(value));
      return p;
    }
    function update() {
      var text = input.value.trim();
      out.textContent = "";
      if (!text) return;
      var first = collections && collections.selectedOptions.length ? collections.selectedOptions[0].value : "";
      var params = new URLSearchParams({ text: text, collection: first, calendar: calendar ? calendar.value : "" });
      var endpoint = location.pathname.replace(/\/almanac\/entry\/.*$/, "/almanac/entry/read-date/");
      fetch(endpoint + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          out.textContent = "";
          if (!data.ok) { out.appendChild(line("Not a date", data.error)); out.classList.add("errornote"); return; }
          out.classList.remove("errornote");
          out.appendChild(line("Read as", data.display_en + "  ·  " + data.display_ru));
          out.appendChild(line("EDTF", data.edtf + " (" + data.calendar + " calendar, region " + data.region + ")"));
          if (data.day) out.appendChild(line("Day page (" + data.policy + ")", data.day));
          if (data.julian_day) out.appendChild(line("Old Style day", data.julian_day));
          if (data.note) out.appendChild(line("Note", data.note));
        });
    }
    function schedule() { clearTimeout(timer); timer = setTimeout(update, 250); }
    input.addEventListener("input", schedule);
    if (collections) collections.addEventListener("change", schedule);
    if (calendar) calendar.addEventListener("change", schedule);
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
