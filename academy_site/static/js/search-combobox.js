/* Suggestions as you type for the site search: an ARIA 1.2 combobox
   (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/) over the plain search
   form, which keeps working without this script. The suggestions come from
   the JSON endpoint in data-suggest-url (search/views.py: suggest). */
(function () {
  "use strict";
  var input = document.getElementById("search-query");
  if (!input || !input.dataset.suggestUrl || !window.fetch) return;

  var wrapper = input.parentNode;
  var listbox = document.createElement("ul");
  listbox.id = "search-suggestions";
  listbox.className = "search-suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", input.dataset.listboxLabel || "");
  listbox.hidden = true;
  wrapper.appendChild(listbox);

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  wrapper.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  var items = [];
  var active = -1;
  var timer = null;
  var lastQuery = "";
  var controller = null;

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    var options = listbox.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (index < 0) index = options.length - 1;
    if (index >= options.length) index = 0;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    active = index;
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function render(suggestions) {
    items = suggestions;
    listbox.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!suggestions.length) {
      close();
      status.textContent = input.value.trim() ? input.dataset.statusNone || "" : "";
      return;
    }
    suggestions.forEach(function (suggestion, index) {
      var option = document.createElement("li");
      option.id = "search-suggestion-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var title = document.createElement("span");
      title.className = "suggestion-title";
      title.textContent = suggestion.title;
      var kind = document.createElement("span");
      kind.className = "suggestion-kind";
      kind.textContent = suggestion.kind;
      option.appendChild(title);
      option.appendChild(document.createTextNode(" "));
      option.appendChild(kind);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the input
      });
      option.addEventListener("click", function () {
        go(index);
      });
      listbox.appendChild(option);
    });
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = (input.dataset.statusSome || "").replace("%(count)s", suggestions.length);
  }

  function go(index) {
    var suggestion = items[index];
    if (suggestion && suggestion.url) window.location.href = suggestion.url;
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (query.length < 2) {
      render([]);
      return;
    }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var url = input.dataset.suggestUrl + "?query=" + encodeURIComponent(query);
    fetch(url, { headers: { Accept: "application/json" }, signal: controller && controller.signal })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) {
        if (input.value.trim() === query) render(data.suggestions || []);
      })
      .catch(function () { /* offline or aborted: the plain search still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 200);
  });

  input.addEventListener("keydown", function (event) {
    var open = !listbox.hidden;
    if (event.key === "ArrowDown") {
      if (!open && items.length) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); }
      if (items.length) { event.preventDefault(); setActive(active + 1); }
    } else if (event.key === "ArrowUp") {
      if (open) { event.preventDefault(); setActive(active - 1); }
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); close(); }
      else if (input.value) { input.value = ""; lastQuery = ""; render([]); }
    } else if (event.key === "Enter") {
      if (open && active >= 0) { event.preventDefault(); go(active); }
      // otherwise the form is submitted: the plain results page
    }
  });

  input.addEventListener("blur", function () {
    window.setTimeout(close, 100);
  });
})();
