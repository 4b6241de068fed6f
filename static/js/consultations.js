// Pre-selects the visitor's own time zone (from the browser) in the "Show times also in" form when none
// is saved yet. The form works without this script; it only saves a scroll through the list.
(function () {
  "use strict";
  var form = document.querySelector("form[data-detect-time-zone]");
  if (!form || typeof Intl === "undefined") {
    return;
  }
  var select = form.querySelector("select[name='time_zone']");
  if (!select || select.value) {
    return;
  }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && select.querySelector("option[value='" + zone.replace(/'/g, "") + "']")) {
    select.value = zone;
  }
})();
