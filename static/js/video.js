/* Kring: click-to-play video cards (app/video.py). Nothing is loaded from the video host until
   the member presses play; without this file the card is a plain outgoing link. */
(function () {
  "use strict";
  var script = document.currentScript;
  var peertube = ((script && script.getAttribute("data-peertube-hosts")) || "")
    .split(/\s+/).filter(Boolean);
  var YOUTUBE = /^https:\/\/www\.youtube-nocookie\.com\/embed\/[A-Za-z0-9_-]{11}$/;
  var VIMEO =
    /^https:\/\/player\.vimeo\.com\/video\/[1-9][0-9]{0,11}\?(?:h=[0-9a-f]{6,20}&)?dnt=1$/;
  var PEERTUBE = /^https:\/\/([a-z0-9.-]+)\/videos\/embed\/[0-9A-Za-z-]{22,36}\?p2p=0$/;

  // The card's HTML is built on the server from validated parts only; this check is a second
  // line: a frame is only ever made for a known player host, whatever the attribute says.
  function playerUrl(value) {
    if (YOUTUBE.test(value) || VIMEO.test(value)) return value;
    var match = PEERTUBE.exec(value);
    return match && peertube.indexOf(match[1]) !== -1 ? value : null;
  }

  function play(card, button) {
    var src = playerUrl(card.getAttribute("data-video-embed") || "");
    if (!src) return;
    var frame = document.createElement("iframe");
    frame.className = "video-frame";
    frame.setAttribute("src", src);
    frame.setAttribute("title", card.getAttribute("data-video-title") || "Video");
    frame.setAttribute("allow", "fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    // No referrer, except the bare origin for YouTube: since July 2025 its player refuses to
    // play without one (error 153). "strict-origin" never sends the page's path, which holds
    // the group's name; Vimeo and PeerTube play without any.
    frame.setAttribute("referrerpolicy", YOUTUBE.test(src) ? "strict-origin" : "no-referrer");
    // The players need their own scripts and storage; no forms, popups or top navigation.
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-presentation");
    var placeholder = card.querySelector(".video-placeholder");
    if (placeholder) placeholder.replaceWith(frame); else card.prepend(frame);
    card.classList.add("playing");
    button.hidden = true;
    frame.focus();  // the button is gone: keyboard users continue in the player
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".video-card[data-video-embed]").forEach(function (card) {
      var button = card.querySelector("button.video-play");
      if (!button || !playerUrl(card.getAttribute("data-video-embed") || "")) return;
      button.hidden = false;
      button.addEventListener("click", function () { play(card, button); });
    });
  });
})();
