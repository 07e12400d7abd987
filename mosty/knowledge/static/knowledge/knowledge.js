// Print buttons: shown only when JavaScript runs (the page prints well without them too).
document.querySelectorAll("[data-kb-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
