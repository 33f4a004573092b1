/* Sorts the roster in place when a column heading is pressed. Without JavaScript the same buttons
   submit ?sort=key (or -key for descending) and the server sorts; each button's value is always the
   sort it will apply next, so both paths agree. Students with no figure stay at the bottom. */
(function () {
  "use strict";
  var table = document.getElementById("roster-table");
  if (!table) return;
  var tbody = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function cellValue(row, index) {
    return row.cells[index].dataset.value || "";
  }

  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b);
  }

  function sortBy(key, descending) {
    var index = headers.findIndex(function (th) { return th.dataset.key === key; });
    if (index < 0) return;
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (r1, r2) {
      var a = cellValue(r1, index), b = cellValue(r2, index);
      if (a === "" || b === "") {
        if (a === b) return compare(cellValue(r1, 0), cellValue(r2, 0));
        return a === "" ? 1 : -1;
      }
      var order = compare(a, b);
      return (descending ? -order : order) || compare(cellValue(r1, 0), cellValue(r2, 0));
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
    headers.forEach(function (th) {
      var button = th.querySelector("button.sort");
      if (!button) return;
      var active = th.dataset.key === key;
      th.setAttribute("aria-sort", active ? (descending ? "descending" : "ascending") : "none");
      th.querySelector(".sort-mark").textContent = active ? (descending ? "▼" : "▲") : "↕";
      var nextDescending = active ? !descending : th.dataset.key !== "name";
      button.value = (nextDescending ? "-" : "") + th.dataset.key;
    });
  }

  table.tHead.addEventListener("click", function (event) {
    var button = event.target.closest("button.sort");
    if (!button) return;
    event.preventDefault();
    var value = button.value;
    sortBy(value.replace(/^-/, ""), value.charAt(0) === "-");
    var url = new URL(window.location.href);
    url.searchParams.set("sort", value);
    history.replaceState(null, "", url.pathname + url.search + "#roster");
    button.focus();
  });
})();
