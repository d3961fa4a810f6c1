/* Kring: while an export is being made, ask for its state every few seconds and show the
   progress; reload the page once it is ready (or failed). Without this, the page's
   "refresh" link does the same. */
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-export-status]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-export-status");
  var bar = box.querySelector("[data-export-progress]");
  var percent = box.querySelector("[data-export-percent]");
  var label = box.querySelector("[data-export-label]");
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        if (state.status !== "queued" && state.status !== "running") {
          window.location.reload();
          return;
        }
        if (bar) bar.value = state.progress;
        if (percent) percent.textContent = state.progress + "%";
        if (label) label.textContent = state.label;
        window.setTimeout(poll, 3000);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 2000);
});
