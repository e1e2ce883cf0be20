// Stripe's card form on the trial page. The keys come from data attributes, so no inline script is needed.
const mount = document.getElementById("payment-element");
if (mount && window.Stripe) {
  const stripe = Stripe(mount.dataset.stripeKey);
  const elements = stripe.elements({ clientSecret: mount.dataset.clientSecret });
  elements.create("payment").mount(mount);
  document.getElementById("card-submit").addEventListener("click", () =>
    stripe.confirmPayment({ elements, confirmParams: { return_url: window.location.href } }),
  );
}
