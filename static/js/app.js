// Hearth's own behaviour, kept to what htmx attributes cannot say.
(function () {
  "use strict";

  // The server announces a new appearance in an HX-Trigger header; apply it without reload.
  document.addEventListener("hearth:appearance", function (event) {
    var theme = event.detail && event.detail.value;
    if (theme === "light" || theme === "dark") {
      document.documentElement.setAttribute("data-theme", theme);
    } else {
      document.documentElement.removeAttribute("data-theme");
    }
  });
})();
