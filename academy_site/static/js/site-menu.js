/* The main menu behind a "Menu" button on narrow screens (site.css decides
   the width: below 48rem). Loaded in <head> without `defer`, so that the
   page is first drawn already folded: a deferred script only ran once the
   whole page had arrived (seconds on a slow phone), and the list of links
   showed, pushed the page down and then jumped away. The script needs no
   element of the page: it marks <html> with `js` (site.css folds the menu
   under `.js .main-nav`) and listens on the document, so the button works
   as soon as it is drawn. Without JavaScript, or on a browser too old for
   what follows, the button stays hidden and the links show as a list.
   "Search" stays beside the button while the menu is closed. Escape closes
   the menu and gives the focus back to the button. */
(function () {
  "use strict";
  var root = document.documentElement;
  if (!root.classList || !root.closest) return;
  root.classList.add("js");

  function setOpen(nav, button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".main-nav .menu-toggle");
    if (!button) return;
    setOpen(button.closest(".main-nav"), button, button.getAttribute("aria-expanded") !== "true");
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var nav = event.target.closest(".main-nav.is-open");
    var button = nav && nav.querySelector(".menu-toggle");
    // offsetParent is null while the button is hidden (a wide screen).
    if (button && button.offsetParent !== null) {
      setOpen(nav, button, false);
      button.focus();
    }
  });
})();
