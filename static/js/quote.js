/* Kring: "citeer" without a page load. Without this file the Quote link opens the thread
   with ?quote=<id>#reply and the server marks the quote; this only saves that round trip.
   The preview is a courtesy: the server draws the real quote from the quoted post. */
document.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("quote_of");
  var preview = document.getElementById("quote-preview");
  if (!input || !preview) return;
  var limit = parseInt(preview.getAttribute("data-excerpt-chars"), 10) || 300;
  var body = document.getElementById("body");
  function excerpt(text) {
    text = text.replace(/\s+/g, " ").trim();
    return text.length <= limit ? text : text.slice(0, limit).trim() + "\u2026";
  }
  document.querySelectorAll("a[data-quote]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var post = link.closest("li.post");
      var prose = post && post.querySelector(".prose");
      if (!prose) return;  // let the link do it
      event.preventDefault();
      input.value = link.getAttribute("data-quote");
      var quote = preview.querySelector("blockquote");
      quote.className = "quote quote-shown";
      quote.innerHTML = '<p class="quote-head"></p><p class="quote-text"></p>';
      quote.querySelector(".quote-head").textContent =
        preview.getAttribute("data-wrote").replace("%(name)s", link.getAttribute("data-quote-name"));
      quote.querySelector(".quote-text").textContent = excerpt(prose.textContent);
      preview.hidden = false;
      var refused = document.getElementById("quote-refused");
      if (refused) refused.hidden = true;
      if (body) body.focus();
      preview.scrollIntoView({block: "center"});
    });
  });
  var remove = document.getElementById("quote-remove");
  if (remove) remove.addEventListener("click", function (event) {
    event.preventDefault();
    input.value = "";
    preview.hidden = true;
    if (body) body.focus();
  });
});
