/* Fonden's one script. Every page works without it; with it:
 * - focus moves to a form's error summary when the page opens, and a link in the summary moves
 *   focus to its field (a fragment link would only scroll);
 * - a button that starts slow work says it is working and cannot be pressed twice;
 * - a background job's page follows the job without reloading (WCAG 2.2.1): its parts are
 *   replaced in place, focus stays where it is, and the status is announced by a live region.
 */
(function () {
  "use strict";

  var body = document.body;
  var WORKING = body.getAttribute("data-working-text") || "Arbetar…";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function focusTarget(event) {
    var link = event.target.closest && event.target.closest("a[data-focus-target]");
    if (!link || !link.hash) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector('label[for="' + target.id + '"]');
    var group = target.closest("fieldset");
    var legend = group && group.querySelector("legend");
    var shown = (target.type === "checkbox" || target.type === "radio") && legend ? legend : label || target;
    shown.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  var status = document.querySelector("[data-working-status]");

  function markBusy(event) {
    var form = event.target;
    if (form.hasAttribute("data-submitting")) {
      event.preventDefault();
      return;
    }
    var button = event.submitter;
    var slow = (button && button.hasAttribute("data-slow")) || form.hasAttribute("data-slow");
    if (!slow || event.defaultPrevented) {
      return;
    }
    form.setAttribute("data-submitting", "");
    form.setAttribute("aria-busy", "true");
    if (button) {
      button.setAttribute("data-label", button.innerHTML);
      button.setAttribute("aria-busy", "true");
      button.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>' + WORKING;
    }
    if (status) {
      status.textContent = WORKING;
    }
    var buttons = form.querySelectorAll("button, input[type=submit]");
    // Disabled after the submission has taken the pressed button's name and value.
    window.setTimeout(function () {
      buttons.forEach(function (each) {
        each.disabled = true;
      });
    }, 0);
    // A download keeps the page: the buttons come back once the file has had time to arrive.
    var restoreAfter = parseInt((button && button.getAttribute("data-slow")) || form.getAttribute("data-slow"), 10);
    if (restoreAfter > 0) {
      window.setTimeout(function () {
        restore(form);
      }, restoreAfter * 1000);
    }
  }

  function restore(form) {
    form.removeAttribute("data-submitting");
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button, input[type=submit]").forEach(function (each) {
      each.disabled = false;
      if (each.hasAttribute("data-label")) {
        each.innerHTML = each.getAttribute("data-label");
        each.removeAttribute("data-label");
        each.removeAttribute("aria-busy");
      }
    });
    if (status) {
      status.textContent = "";
    }
  }

  // Back to a page kept in the browser's cache: its forms are no longer being sent.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submitting]").forEach(restore);
    }
  });

  function follow(job) {
    var every = parseInt(job.getAttribute("data-poll"), 10) || 2000;
    window.setTimeout(function poll() {
      fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(job.id);
          if (!fresh) {
            return;
          }
          fresh.querySelectorAll("[data-poll-part]").forEach(function (part) {
            var current = document.getElementById(part.id);
            if (current && current.innerHTML !== part.innerHTML) {
              current.innerHTML = part.innerHTML;
            }
          });
          if (fresh.hasAttribute("data-poll")) {
            window.setTimeout(poll, every);
          } else {
            job.removeAttribute("data-poll");
          }
        })
        .catch(function () {
          // The page's own "Uppdatera" link still works; try again a little later.
          window.setTimeout(poll, every * 3);
        });
    }, every);
  }

  document.addEventListener("click", focusTarget);
  document.addEventListener("submit", markBusy);
  focusErrorSummary();
  document.querySelectorAll("[data-poll][id]").forEach(follow);
})();
