// Asks before a step that cannot be undone or commits money: any form with data-confirm.
document.addEventListener(
  "submit",
  function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  },
  true
);
