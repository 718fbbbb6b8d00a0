// Progressive enhancement for the upvote buttons: the form still works without this file.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-upvote]");
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector("button");
  const on = button.getAttribute("aria-pressed") === "true";
  const token = form.querySelector("input[name=__RequestVerificationToken]").value;
  const response = await fetch(`/api/papers/${form.dataset.upvote}/upvote`, {
    method: on ? "DELETE" : "POST",
    headers: { "X-CSRF-Token": token },
    credentials: "same-origin",
  });
  // Not signed in: the form itself remembers the vote and comes back here after signing in.
  if (response.status === 401) { form.submit(); return; }
  if (!response.ok) { form.submit(); return; }
  const state = await response.json();
  button.setAttribute("aria-pressed", state.upvoted ? "true" : "false");
  button.classList.toggle("on", state.upvoted);
  button.querySelector("span").textContent = state.upvotes;
});
