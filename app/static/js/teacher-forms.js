/* Topic and curriculum forms: the passage picker fills the text, the rubric gains rows on demand
   and shows its running total. Both forms work fully without this script. */
(function () {
  "use strict";

  var picker = document.querySelector(".passage-picker");
  if (picker) {
    var passages = JSON.parse(picker.dataset.passages || "[]");
    var select = picker.querySelector("select");
    select.addEventListener("change", function () {
      var chosen = passages.find(function (p) { return p.id === select.value; });
      if (!chosen) return;
      document.getElementById("title").value = chosen.title;
      document.getElementById("prompt").value = chosen.text;
    });
  }

  var rows = document.getElementById("rubric-rows");
  if (!rows) return;
  var addButton = document.getElementById("add-rubric-row");
  var total = document.getElementById("rubric-total");
  var maxRows = Number(rows.dataset.maxRows);

  function updateTotal() {
    var sum = 0;
    rows.querySelectorAll("input.weight").forEach(function (input) { sum += Number(input.value) || 0; });
    total.textContent = sum + (sum === 100 ? " ✓" : " (needs 100)");
    addButton.hidden = rows.rows.length >= maxRows;
  }

  addButton.addEventListener("click", function () {
    var last = rows.rows[rows.rows.length - 1];
    var index = rows.rows.length;
    var row = last.cloneNode(true);
    row.querySelectorAll("input, label").forEach(function (el) {
      ["id", "name", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/rubric-\d+-/, "rubric-" + index + "-"));
      });
      if (el.tagName === "LABEL") el.textContent = el.textContent.replace(/row \d+/, "row " + (index + 1));
      if (el.tagName === "INPUT") { el.value = ""; el.setAttribute("aria-invalid", "false"); el.removeAttribute("aria-describedby"); }
    });
    row.querySelectorAll(".errors").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".field-error").forEach(function (el) { el.classList.remove("field-error"); });
    rows.appendChild(row);
    row.querySelector("input").focus();
    updateTotal();
  });
  rows.addEventListener("input", updateTotal);
  updateTotal();
})();
