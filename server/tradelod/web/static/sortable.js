// Sortable tables (class pages): a button in each column header sorts the rows by that column.
// Rows carry their sort keys in data-value (numbers as plain decimals), so the order never depends on
// how a number is written for the page's language. No inline script: the CSP forbids it.
"use strict";

(function () {
  function key(cell, numeric) {
    const raw = cell ? cell.getAttribute("data-value") || cell.textContent.trim() : "";
    if (!numeric) return raw.toLocaleLowerCase();
    const value = parseFloat(raw);
    return Number.isNaN(value) ? -Infinity : value;
  }

  function sortBy(table, index, numeric, header) {
    const body = table.tBodies[0];
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    const rows = Array.from(body.rows);
    const collator = new Intl.Collator(document.documentElement.lang || undefined);
    rows.sort(function (a, b) {
      const x = key(a.cells[index], numeric);
      const y = key(b.cells[index], numeric);
      const order = numeric ? x - y : collator.compare(x, y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (header, index) {
      const button = header.querySelector("button[data-sort]");
      if (!button) return;
      button.addEventListener("click", function () {
        sortBy(table, index, button.getAttribute("data-sort") === "number", header);
      });
    });
  });
})();
