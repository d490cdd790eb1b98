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
  // Copy buttons: <button data-copy="#selector">.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    if (source && navigator.clipboard) navigator.clipboard.writeText(source.textContent.trim());
  });
});
