// Live character count under the pledge and written-input texts. The limits are stated in the help text and
// enforced by the server; this only helps while typing, so the form works the same without JavaScript.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var format = new Intl.NumberFormat(lang);

  function attach(textarea) {
    // The sentence comes translated from the server, in the page's language.
    var template = textarea.getAttribute("data-count-template") || "{count}";
    var min = parseInt(textarea.getAttribute("data-count-min"), 10);
    var max = parseInt(textarea.getAttribute("data-count-max"), 10);
    var counter = document.createElement("span");
    counter.className = "pledges-counter";
    counter.setAttribute("aria-live", "polite");
    counter.id = textarea.id + "-counter";
    textarea.insertAdjacentElement("afterend", counter);
    var described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      var count = textarea.value.replace(/\r\n/g, "\n").trim().length;
      counter.textContent = template
        .replace("{count}", format.format(count))
        .replace("{min}", format.format(min))
        .replace("{max}", format.format(max));
      counter.classList.toggle("is-out", count > 0 && (count < min || count > max));
    }
    textarea.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("textarea[data-count-min]").forEach(attach);
})();
