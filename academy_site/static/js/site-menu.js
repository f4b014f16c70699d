/* The main menu behind a "Menu" button on narrow screens (site.css decides
   the width: below 48rem). Without this script the button stays hidden and
   the links show as a list, as they always did. "Search" stays beside the
   button while the menu is closed. Escape closes the menu and gives the
   focus back to the button. */
(function () {
  "use strict";
  var nav = document.querySelector(".main-nav");
  var button = nav && nav.querySelector(".menu-toggle");
  var list = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!list) return;

  function isOpen() {
    return button.getAttribute("aria-expanded") === "true";
  }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  setOpen(false);
  nav.classList.add("is-collapsible");

  button.addEventListener("click", function () {
    setOpen(!isOpen());
  });

  nav.addEventListener("keydown", function (event) {
    // offsetParent is null while the button is hidden (a wide screen).
    if (event.key === "Escape" && isOpen() && button.offsetParent !== null) {
      setOpen(false);
      button.focus();
    }
  });
})();
