/* Kring: a rough strength meter under a new-password field. Only a hint while typing: the
   server decides (length, the list of common passwords), and nothing is sent anywhere. */
document.addEventListener("DOMContentLoaded", function () {
  var SEQUENCES = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm"];

  function poolSize(text) {
    var size = 0;
    if (/[a-z]/.test(text)) size += 26;
    if (/[A-Z]/.test(text)) size += 26;
    if (/[0-9]/.test(text)) size += 10;
    if (/[ ]/.test(text)) size += 1;
    if (/[!-\/:-@\[-`{-~]/.test(text)) size += 33;
    if (/[^\x00-\x7f]/.test(text)) size += 60;
    return size || 1;
  }

  // Characters that follow from the one before (aaaa, abcd, 4321, qwer) add almost nothing.
  function surprisingLength(text) {
    var lower = text.toLowerCase(), count = lower.length ? 1 : 0;
    for (var i = 1; i < lower.length; i++) {
      var pair = lower[i - 1] + lower[i], reversed = lower[i] + lower[i - 1];
      var predictable = lower[i] === lower[i - 1] || SEQUENCES.some(function (row) {
        return row.indexOf(pair) >= 0 || row.indexOf(reversed) >= 0;
      });
      count += predictable ? 0.25 : 1;
    }
    // A word typed twice ("welkomwelkom") is as strong as the word once.
    var half = lower.length / 2;
    if (lower.length % 2 === 0 && lower.slice(0, half) === lower.slice(half)) count /= 2;
    return count;
  }

  function score(text, minimum) {
    if (text.length < minimum) return 0;
    var bits = surprisingLength(text) * Math.log2(poolSize(text));
    if (bits < 45) return 1;
    if (bits < 60) return 2;
    if (bits < 80) return 3;
    return 4;
  }

  document.querySelectorAll("[data-password-strength]").forEach(function (output) {
    var input = document.getElementById(output.getAttribute("data-password-strength"));
    if (!input) return;
    var labels = output.getAttribute("data-labels").split("|");
    var minimum = parseInt(output.getAttribute("data-min"), 10) || 10;
    input.setAttribute("aria-describedby",
      ((input.getAttribute("aria-describedby") || "") + " " + output.id).trim());
    input.addEventListener("input", function () {
      var level = score(input.value, minimum);
      output.hidden = input.value.length === 0;
      output.textContent = labels[level];
      output.setAttribute("data-level", String(level));
    });
  });
});
