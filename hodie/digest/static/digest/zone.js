// Fill the subscription form's time zone with the browser's own (the server checks the name).
document.addEventListener("DOMContentLoaded", function () {
  var field = document.getElementById("id_time_zone");
  if (!field || field.dataset.touched) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && !field.closest("form").querySelector(".error")) field.value = zone;
  } catch (err) { /* an old browser: the site's zone stays */ }
});
