// Instant skip logic on a survey's answer page (progressive enhancement).
//
// The page is drawn on the server with every question; those skip logic hides carry
// `hidden` and sit in a disabled fieldset, so they are neither seen, focused nor sent. When
// an answer changes, this script posts the page's values to the survey's skips address,
// where the same engine that checks the page when it is sent says which questions show and
// which choices a filtered question offers; nothing is saved there, and nothing is evaluated
// here, so the browser can never disagree with the server. Without JavaScript the page works
// as before: the server decides when the page is sent.
(function () {
  "use strict";

  var form = document.querySelector("form[data-skips]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("skips-status");
  var button = form.querySelector("[data-skips-next]");
  var timer = null;
  var sent = 0;

  function toggle(element, visible) {
    element.hidden = !visible;
    element.disabled = !visible;
  }

  function filterChoices(box, allowed) {
    box.querySelectorAll("[data-choice]").forEach(function (choice) {
      var visible = allowed.indexOf(choice.dataset.choice) !== -1;
      if (choice.tagName === "OPTION") {
        toggle(choice, visible);
        if (!visible && choice.selected) {
          choice.parentElement.value = "";
        }
        return;
      }
      choice.hidden = !visible;
      var input = choice.querySelector("input");
      if (input) {
        input.disabled = !visible || input.hasAttribute("data-readonly");
        if (!visible) {
          input.checked = false;
        }
      }
    });
  }

  function apply(result) {
    var more = 0;
    var fewer = 0;
    form.querySelectorAll("[data-question]").forEach(function (box) {
      var visible = result.shown.indexOf(box.dataset.question) !== -1;
      if (visible === !box.hidden) {
        return;
      }
      toggle(box, visible);
      if (visible) {
        more += 1;
      } else {
        fewer += 1;
      }
    });
    Object.keys(result.choices).forEach(function (name) {
      form.querySelectorAll("[data-question]").forEach(function (box) {
        if (box.dataset.question === name) {
          filterChoices(box, result.choices[name]);
        }
      });
    });
    if (button) {
      button.textContent = result.last ? button.dataset.skipsLast : button.dataset.skipsNext;
    }
    if (status && (more || fewer)) {
      // Screen readers hear, politely, that the page changed.
      var words = [];
      if (more) {
        words.push(status.dataset.more);
      }
      if (fewer) {
        words.push(status.dataset.fewer);
      }
      // Emptied first, so the same sentence twice in a row is announced twice.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = words.join(" ");
      }, 100);
    }
  }

  function update() {
    sent += 1;
    var mine = sent;
    var body = new FormData(form);
    fetch(form.dataset.skips, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (result) {
        // Only the latest answer counts: an earlier, slower reply is dropped.
        if (result && mine === sent) {
          apply(result);
        }
      })
      .catch(function () {
        // Offline or refused: the server still decides when the page is sent.
      });
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, delay);
  }

  form.addEventListener("change", function () {
    schedule(0);
  });
  form.addEventListener("input", function (event) {
    var type = event.target.type;
    if (type !== "radio" && type !== "checkbox" && event.target.tagName !== "SELECT") {
      schedule(300);
    }
  });
  form.dataset.skipsReady = "1";
})();
