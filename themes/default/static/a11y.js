// Remembers the reader's 大字模式 / 高对比度 choice across pages. The page works without it:
// the toggles are plain checkboxes styled by CSS.
(function () {
  "use strict";
  var ids = ["a11y-large", "a11y-contrast"];
  ids.forEach(function (id) {
    var box = document.getElementById(id);
    if (!box) return;
    try {
      box.checked = window.localStorage.getItem("gongkai-" + id) === "1";
      box.addEventListener("change", function () {
        window.localStorage.setItem("gongkai-" + id, box.checked ? "1" : "0");
      });
    } catch (e) {
      // Storage may be disabled; the toggle still works on this page.
    }
  });
})();
