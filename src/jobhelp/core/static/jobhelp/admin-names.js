// The admin's autocomplete boxes (Select2) draw a text box that screen readers cannot name
// (axe: aria-input-field-name): each gets its field's label as its name as soon as it is
// drawn, whenever that is (jQuery's ready handlers may run after the page's load event).
(function () {
  function nameBoxes() {
    document.querySelectorAll(".select2-selection__rendered[role=textbox]:not([aria-label])")
      .forEach(function (box) {
        var selectId = box.id.replace(/^select2-/, "").replace(/-container$/, "");
        var label = document.querySelector('label[for="' + selectId + '"]');
        if (label) {
          box.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
        }
      });
  }
  new MutationObserver(nameBoxes).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", nameBoxes);
})();
