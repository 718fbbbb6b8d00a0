// Progressive enhancement. Every page works without this file; with it, the one per-visitor request of a page
// (/api/me) fills in what the shared HTML leaves out: who is signed in, which papers they upvoted, their address in
// the subscribe box, and the token the script's own calls send.
"use strict";

let me = null;

async function loadMe() {
  const ids = [...document.querySelectorAll("form[data-upvote]")].map(f => f.dataset.upvote);
  const query = ids.length ? "?papers=" + encodeURIComponent([...new Set(ids)].join(",")) : "";
  const response = await fetch("/api/me" + query, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) return;
  me = await response.json();
  for (const form of document.querySelectorAll("form[data-upvote]")) markVote(form, me.voted.includes(form.dataset.upvote));
  showMe();
  const email = document.querySelector("form.subscribe-box input[name=email]");
  if (email && me.email && !email.value) email.value = me.email;
}

function markVote(form, on) {
  const button = form.querySelector("button");
  button.setAttribute("aria-pressed", on ? "true" : "false");
  button.classList.toggle("on", on);
  button.title = on ? "Withdraw your upvote" : "Upvote";
}

// The header: "Name · Notifications (n) · Sign out" for a signed-in reader, instead of the plain Account link.
function showMe() {
  const slot = document.getElementById("me");
  if (!slot || !me.signedIn) return;
  const account = document.createElement("a");
  account.href = "/account";
  account.textContent = me.name;
  const bell = document.createElement("a");
  bell.href = "/notifications";
  bell.textContent = me.unread > 0 ? `Notifications (${me.unread})` : "Notifications";
  const signout = document.createElement("form");
  signout.method = "post";
  signout.action = "/account/signout";
  signout.className = "inline";
  signout.innerHTML = '<input type="hidden" name="__RequestVerificationToken"><button type="submit" class="link">Sign out</button>';
  signout.querySelector("input").value = me.csrf;
  slot.replaceChildren(account, bell, signout);
  document.querySelector("header.top a.account")?.setAttribute("hidden", "");
}

// Upvote in place: the API with the token from /api/me; signed out, the form itself goes to sign in and casts the
// vote afterwards.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-upvote]");
  if (!form || !me || !me.signedIn) return;
  event.preventDefault();
  const button = form.querySelector("button");
  const on = button.getAttribute("aria-pressed") === "true";
  const response = await fetch(`/api/papers/${form.dataset.upvote}/upvote`, {
    method: on ? "DELETE" : "POST", headers: { "X-CSRF-Token": me.csrf }, credentials: "same-origin",
  });
  if (!response.ok) { form.submit(); return; }
  const state = await response.json();
  for (const same of document.querySelectorAll(`form[data-upvote="${CSS.escape(form.dataset.upvote)}"]`)) {
    markVote(same, state.upvoted);
    same.querySelector("button span").textContent = state.upvotes;
  }
});

// A comment typed while signed out survives the trip through sign-in.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-draft]");
  if (form && me && !me.signedIn) sessionStorage.setItem(form.dataset.draft, form.querySelector("textarea").value);
});

function restoreDrafts() {
  for (const form of document.querySelectorAll("form[data-draft]")) {
    const draft = sessionStorage.getItem(form.dataset.draft);
    const box = form.querySelector("textarea");
    if (draft && !box.value) box.value = draft;
    sessionStorage.removeItem(form.dataset.draft);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  restoreDrafts();
  loadMe().catch(() => { /* the page works without it */ });
});
