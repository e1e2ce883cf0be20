// The trial request form shows its total as the quantity changes (a file, not inline: CSP script-src 'self').
document.querySelectorAll("form[data-unit-fen]").forEach((form) => {
  const fen = parseInt(form.dataset.unitFen, 10);
  const qty = form.querySelector("input[name=quantity]");
  const out = form.querySelector("[data-trial-total]");
  qty.addEventListener("input", () => {
    const n = parseInt(qty.value, 10) || 0;
    out.textContent = ((fen * n) / 100).toFixed(2);
  });
});
