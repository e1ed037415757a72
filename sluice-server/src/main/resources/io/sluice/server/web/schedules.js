// The schedules page: each schedule with its next due time and its last runs, and "Run now".
"use strict";

let session = null;

/** A POST from this page: same origin, with the server's anti-forgery token in its header. */
async function post(path) {
  if (session === null) session = await api("/api/session");
  const response = await fetch(path, {
    method: "POST",
    headers: { Accept: "application/json", [session.csrfHeader]: session.csrfToken },
  });
  const body = await response.json();
  if (!response.ok && response.status !== 409) throw new Error(body.message || response.statusText);
  return body;
}

function fireRow(fire) {
  const run = fire.runId
    ? el("a", { href: "/runs/" + encodeURIComponent(fire.runId) }, fire.runId)
    : el("span", { class: "muted" }, fire.outcome === "started" ? "starting…" : "");
  return el("tr", { class: "fire" },
    el("td", {}, time(fire.dueAt)),
    el("td", {}, fire.reason),
    el("td", {}, badge(fire.runStatus || fire.outcome)),
    el("td", {}, run),
    el("td", {}, fire.message || fire.logFile || ""));
}

function scheduleBlock(schedule) {
  const button = el("button", { class: "run-now", "data-schedule": schedule.name }, "Run now");
  button.addEventListener("click", async () => {
    button.disabled = true;
    const action = document.getElementById("action");
    try {
      const fire = await post("/api/schedules/" + encodeURIComponent(schedule.name) + "/run");
      action.textContent = schedule.name + ": " + fire.outcome + (fire.message ? " (" + fire.message + ")" : "");
    } catch (error) {
      action.textContent = schedule.name + ": " + error.message;
    }
    button.disabled = false;
    load();
  });
  const fires = schedule.fires.length === 0
    ? el("p", { class: "muted" }, "No runs yet.")
    : el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "due"), el("th", {}, "by"), el("th", {}, "result"),
        el("th", {}, "run"), el("th", {}, "note"))), el("tbody", {}, ...schedule.fires.map(fireRow)));
  return el("section", { class: "schedule", "data-schedule": schedule.name },
    el("h2", {}, schedule.name, " ", button),
    el("p", {}, "sluice run ", el("code", {}, [schedule.task, ...schedule.args].join(" ")), " at ",
      el("code", {}, schedule.cron), " (" + schedule.timeZone + "); overlap " + schedule.overlap + ", catch-up "
      + schedule.catchUp + ". Next: ", el("span", { class: "next" }, time(schedule.next) || "none"),
      schedule.running ? el("span", {}, " · ", badge("running")) : null,
      schedule.queued ? " · " + schedule.queued + " queued" : null),
    fires,
    schedule.lastSkipped ? el("p", { class: "muted skipped" }, "Last skipped: " + time(schedule.lastSkipped.dueAt)
      + " (" + schedule.lastSkipped.message + ")") : null);
}

async function load() {
  const container = document.getElementById("schedules");
  try {
    const body = await api("/api/schedules");
    container.replaceChildren(...(body.schedules.length === 0
      ? [el("p", { class: "muted" }, "No schedules: [schedules.NAME] in sluice.toml defines one.")]
      : body.schedules.map(scheduleBlock)));
  } catch (error) {
    showError(container, error);
  }
}

load();
setInterval(load, 2000);
