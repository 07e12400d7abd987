// Small behaviours the Content Security Policy (script-src/style-src 'self') does not allow
// inline: print buttons (data-print), bar widths (data-width-percent), also in htmx swaps, and
// two behaviours of a searchable select: Enter in its search box, and the choice kept across
// the list's swap.
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

  // A search changes which choices a searchable select lists, never what is chosen. The
  // server draws the list with the choice sent with the search; a choice made while the
  // answer was on its way would be replaced by it. So the choice in the page at the moment
  // of the swap is carried into the new list (added to it if the search no longer finds it).
  var chosenAtSwap = {};

  function chosenOptions(select) {
    return Array.prototype.filter
      .call(select.options, function (option) {
        return option.selected;
      })
      .map(function (option) {
        return { value: option.value, label: option.textContent };
      });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var box = event.detail.target;
    var select = box && /_box$/.test(box.id || "") && box.querySelector("select");
    if (select) {
      chosenAtSwap[box.id] = chosenOptions(select);
    }
  });

  function keepChoice(box) {
    var chosen = box.id && chosenAtSwap[box.id];
    var select = chosen && box.querySelector("select");
    delete chosenAtSwap[box.id];
    if (!select) {
      return;
    }
    var values = chosen.map(function (option) {
      return option.value;
    });
    chosen.forEach(function (option) {
      var listed = Array.prototype.some.call(select.options, function (listedOption) {
        return listedOption.value === option.value;
      });
      if (!listed) {
        select.add(new Option(option.label, option.value));
      }
    });
    Array.prototype.forEach.call(select.options, function (option) {
      option.selected = values.indexOf(option.value) !== -1;
    });
  }

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
    keepChoice(event.detail.elt);
  });
})();
