// The login cards page's print button.
document.getElementById("print-cards")?.addEventListener("click", () => window.print());
