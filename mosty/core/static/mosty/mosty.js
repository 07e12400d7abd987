// Small behaviours the Content Security Policy (script-src/style-src 'self') does not allow
// inline: print buttons (data-print) and bar widths (data-width-percent), also in htmx swaps.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  function setWidths(root) {
    var selector = "[data-width-percent]";
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) {
      found.push(root);
    }
    found.forEach(function (element) {
      var percent = Math.max(0, Math.min(100, Number(element.dataset.widthPercent) || 0));
      element.style.width = percent + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setWidths(document);
  });
  document.addEventListener("htmx:load", function (event) {
    setWidths(event.detail.elt);
  });
})();
