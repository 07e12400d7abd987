// Small behaviours the Content Security Policy (script-src/style-src 'self') does not allow
// inline: print buttons (data-print), bar widths (data-width-percent), also in htmx swaps, and
// Enter in the search box of a searchable select.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  // Enter in a searchable select's box (core/forms.py SearchSelect) finds, as its "Find"
  // button does, instead of pressing the form's default button: on a form that saves (or
  // sends a public application) Enter there must not submit what is half filled in.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches('input[type="search"][aria-controls]')) {
      return;
    }
    var box = event.target.closest('[id$="_box"]');
    var find = box && box.querySelector('button[name="_search"]');
    if (!find) {
      return;
    }
    event.preventDefault();
    if (window.htmx) {
      window.htmx.trigger(event.target, "search");
    } else {
      find.click();
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
