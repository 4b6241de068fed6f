// Documents page: while a PDF is queued or rendering, poll the review's status feed and update each
// language's row in place. Without JavaScript the page keeps its plain "refresh" link.
(function () {
  "use strict";
  var root = document.getElementById("render-progress");
  if (!root || !root.dataset.statusUrl) {
    return;
  }
  var live = root.querySelector(".live-message");
  var delay = 2000;

  function updateRow(render) {
    var row = root.querySelector('tr[data-render-id="' + render.id + '"]');
    if (!row) {
      return;
    }
    var status = row.querySelector(".render-status");
    if (status) {
      status.textContent = "";
      var badge = document.createElement("span");
      badge.className = "status status-" + render.status;
      badge.textContent = render.status_label;
      status.appendChild(badge);
      if (render.failure_reason) {
        var reason = document.createElement("span");
        reason.className = "failure";
        reason.textContent = " " + render.failure_reason;
        status.appendChild(reason);
      }
    }
    var file = row.querySelector(".render-file");
    if (file && render.download_url && !file.querySelector("a")) {
      var link = document.createElement("a");
      link.href = render.download_url;
      link.textContent = root.dataset.downloadLabel || "PDF";
      file.textContent = "";
      file.appendChild(link);
    }
  }

  function poll() {
    fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        data.renders.forEach(updateRow);
        if (data.pending) {
          window.setTimeout(poll, delay);
        } else if (live && root.dataset.doneLabel) {
          live.textContent = root.dataset.doneLabel;
        }
      })
      .catch(function () {
        // The refresh link stays available; try again later, more slowly.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }

  if (root.dataset.pending === "true") {
    window.setTimeout(poll, delay);
  }
})();
