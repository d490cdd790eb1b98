// districtops: the few behaviours pages need beyond htmx. No inline script anywhere: the
// Content-Security-Policy forbids it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // The language links come back to this very page, query string included.
  for (const link of document.querySelectorAll(".lang-switch a")) {
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    link.href = url.pathname + url.search;
  }
  // Buttons that ask before acting: <button data-confirm="...">.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  });
  // A form refused with its field messages (422) or with the latest values after someone
  // else saved (409) is swapped in like a success: htmx drops 4xx answers by default.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Copy buttons: <button data-copy="#selector">.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    if (source && navigator.clipboard) navigator.clipboard.writeText(source.textContent.trim());
  });
});
