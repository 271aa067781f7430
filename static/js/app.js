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

  // Sign-up guesses the time zone (the server keeps UTC without JavaScript or a known zone);
  // also in a form htmx swapped back in after errors.
  function fillTimeZones(root) {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    if (!zone || !root || !root.querySelectorAll) return;
    root.querySelectorAll("input[data-detect-time-zone]").forEach(function (input) {
      input.value = zone;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    fillTimeZones(document);
  });
  document.addEventListener("htmx:load", function (event) {
    fillTimeZones(event.target);
  });

  // A select goes back to the value the page was rendered with (the saved one).
  function resetSelect(select) {
    if (!select) return;
    Array.prototype.forEach.call(select.options, function (option) {
      option.selected = option.defaultSelected;
    });
  }

  // Confirmations: the server renders them into #confirm-dialog (they are pages without JS).
  function dialog() {
    return document.getElementById("confirm-dialog");
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = dialog();
    if (!box || event.detail.target !== box) return;
    var heading = box.querySelector("h1, h2");
    if (heading && heading.id) box.setAttribute("aria-labelledby", heading.id);
    box.returnValue = "";
    if (!box.open) box.showModal();
  });

  // A request sent from the dialog answers it: close before the swap, so the focus goes
  // back to the control that opened it and htmx can carry it over to its fresh copy.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var box = dialog();
    var config = event.detail.requestConfig;
    var from = config && config.elt;
    if (box && box.open && from && box.contains(from) && event.detail.target !== box) {
      box.close("done");
    }
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-dialog-cancel]");
    var box = dialog();
    if (cancel && box && box.open && box.contains(cancel)) {
      event.preventDefault();
      box.close("cancel");
    }
  });

  // Cancelled (button or Escape): a control that asked for the confirmation shows its saved value.
  document.addEventListener("DOMContentLoaded", function () {
    var box = dialog();
    if (!box) return;
    box.addEventListener("close", function () {
      if (box.returnValue === "done") return;
      var reset = box.querySelector("[data-reset-on-cancel]");
      if (reset) resetSelect(document.getElementById(reset.getAttribute("data-reset-on-cancel")));
    });
  });

  // A role that could not be saved (network down, refused) shows the saved one again.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) return;
    var form = event.target.closest && event.target.closest("form");
    if (form && form.isConnected) resetSelect(form.querySelector("select"));
  });

  // An error Hearth did not write (a balancer's 502 or 504 as a machine dies, a proxy's
  // 413 for an upload larger than it takes) is no part of any page, and is never swapped
  // in: Hearth names every answer it writes (X-Request-ID) and sends its own errors to the
  // error region. With no answer at all (the connection dropped, or was cut off half-way)
  // there is nothing to swap. A person who acted is told what became of it: a request
  // refused on its way was not done; one with no answer may or may not have been. A
  // page's own request (a live part's poll) says nothing and asks again on its next turn.
  function personActed(config) {
    var cause = config && config.triggeringEvent;
    return Boolean(cause && cause.isTrusted);
  }

  function tell(detail, messageId) {
    if (!personActed(detail.requestConfig)) return;
    var region = document.getElementById("htmx-error");
    var message = document.getElementById(messageId);
    if (region && message) region.replaceChildren(message.content.cloneNode(true));
  }

  function messageForAnswer(xhr) {
    if (xhr.getResponseHeader("X-Request-ID") !== null) {
      return xhr.status >= 500 && !xhr.getResponseHeader("HX-Retarget") ? "no-answer" : null;
    }
    if (xhr.status >= 500) return "no-answer";
    return xhr.status === 413 ? "too-large" : "turned-away";
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status < 400) return;
    var messageId = messageForAnswer(xhr);
    if (!messageId) return;
    event.detail.shouldSwap = false;
    tell(event.detail, messageId);
  });

  document.addEventListener("htmx:sendError", function (event) {
    tell(event.detail, "no-answer");
  });

  // The error region speaks of the last thing a person did: once another of their
  // requests succeeds, what it said no longer holds.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful || !personActed(event.detail.requestConfig)) return;
    var region = document.getElementById("htmx-error");
    if (region && region.firstChild) region.replaceChildren();
  });

  // After a swap: a 422 takes the focus to the first invalid field (or the error summary);
  // otherwise, if the focused control was swapped away without a stable id, the focus goes
  // to the new content rather than falling to the page body.
  document.addEventListener("htmx:afterSettle", function (event) {
    var fresh = event.target;
    // Out-of-band flashes are announced by their live region; they never take the focus.
    if (!fresh || !fresh.isConnected || fresh === document.body || fresh.id === "flashes") return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 422) {
      var invalid = fresh.querySelector('[aria-invalid="true"], [role="alert"]');
      if (invalid && invalid.tagName === "FIELDSET") {
        invalid = invalid.querySelector("input") || invalid;
      }
      if (invalid) {
        if (!invalid.matches("input, select, textarea, button")) invalid.tabIndex = -1;
        invalid.focus();
        return;
      }
    }
    var active = document.activeElement;
    if (!active || active === document.body) {
      if (!fresh.matches("a, button, input, select, textarea")) fresh.tabIndex = -1;
      fresh.focus();
    }
  });

  // A list searched as one types and acted on in place (the door's people, a group's
  // members): a search's answer may have been read before an action in the list committed,
  // and landing after the action's answer it would put the old state back. So a search in
  // flight when an action is sent is not swapped in, a search asked while an action is in
  // flight waits, and either way the search is asked again once the list's actions are
  // done. The search control names its list: data-search-for="<the list's id>".
  var searchedLists = {};

  function searchAgain(control, list) {
    // A search that fails is reported by htmx (htmx:sendError), as any other.
    htmx
      .ajax("GET", control.getAttribute("hx-get"), {
        source: control,
        target: "#" + list,
        swap: "outerHTML",
      })
      .catch(function () {});
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var from = event.detail.elt;
    var xhr = event.detail.xhr;
    if (!from || !xhr) return;
    document.querySelectorAll("[data-search-for]").forEach(function (control) {
      var list = control.getAttribute("data-search-for");
      var state = searchedLists[list] || (searchedLists[list] = { searches: [], actions: 0, again: false });
      if (from === control) {
        if (state.actions > 0) {
          state.again = true;
          event.preventDefault();
          return;
        }
        state.searches.push(xhr);
        xhr.addEventListener("loadend", function () {
          state.searches = state.searches.filter(function (each) { return each !== xhr; });
        });
        return;
      }
      var shown = document.getElementById(list);
      if (!shown || !shown.contains(from)) return;
      if (state.searches.length) {
        state.searches.forEach(function (search) {
          search.hearthSuperseded = true;
        });
        state.again = true;
      }
      state.actions += 1;
      // After the answer's swap: htmx swaps on load, and loadend comes after it.
      xhr.addEventListener("loadend", function () {
        state.actions -= 1;
        if (state.actions === 0 && state.again && control.isConnected) {
          state.again = false;
          searchAgain(control, list);
        }
      });
    });
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.hearthSuperseded) event.detail.shouldSwap = false;
  });

  // Live search: say how many match, from a status region that is not swapped itself.
  document.addEventListener("htmx:afterSettle", function (event) {
    var fresh = event.target;
    if (!fresh || !fresh.id || !fresh.querySelector) return;
    var status = document.querySelector('[data-status-for="' + fresh.id + '"]');
    var source = fresh.matches("[data-announce]") ? fresh : fresh.querySelector("[data-announce]");
    if (status && source) status.textContent = source.getAttribute("data-announce");
  });
})();
