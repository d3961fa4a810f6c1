/* Kring: small enhancements only. Every page works without this file. */
document.addEventListener("DOMContentLoaded", function () {
  // A refused form: move the focus to its error summary, so it is read out first.
  var summary = document.querySelector("[data-error-summary] [tabindex]");
  if (summary) summary.focus();
  // "Copy link" buttons next to read-only invitation links.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    var status = document.getElementById(input.id + "-status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        if (status) status.textContent = status.getAttribute("data-done");
      });
    });
  });
  // Ask before destructive actions.
  document.querySelectorAll("button.danger").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.textContent.trim() + "?")) event.preventDefault();
    });
  });
  // The start form: show only the part for the chosen kind (a statement's positions, an
  // assignment's due date). Without this both stay visible, each saying what it is for.
  var kind = document.querySelector("select#kind");
  if (kind) {
    var showKind = function () {
      document.querySelectorAll("[data-for-kind]").forEach(function (part) {
        part.hidden = part.getAttribute("data-for-kind") !== kind.value;
      });
    };
    kind.addEventListener("change", showKind);
    showKind();
  }
  // Guard against double submits: disable a form's buttons once it is sent.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
});
