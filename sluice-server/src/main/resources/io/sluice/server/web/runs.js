"use strict";
// The front page: recent and running runs, filtered; refreshed while any is running.
(function () {
  const form = document.getElementById("filters");
  const container = document.getElementById("runs");
  let timer = null;

  for (const [key, value] of new URLSearchParams(location.search)) {
    if (form.elements[key]) form.elements[key].value = value;
  }

  function query() {
    const params = new URLSearchParams();
    for (const name of ["task", "status", "host", "from", "to"]) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  async function load() {
    clearTimeout(timer);
    try {
      const body = await api("/api/runs?" + query());
      render(body.runs);
      // New runs appear without a reload: soon while some run goes on, now and then otherwise.
      timer = setTimeout(load, body.runs.some(run => run.status === "running") ? 3000 : 5000);
    } catch (error) {
      showError(container, error);
    }
  }

  function render(runs) {
    if (runs.length === 0) {
      container.replaceChildren(el("p", { class: "muted" }, "No runs match."));
      return;
    }
    const rows = runs.map(run => el("tr", {},
      el("td", {}, el("a", { href: "/runs/" + encodeURIComponent(run.id), class: "run-link" }, run.id)),
      el("td", {}, run.rootTask),
      el("td", {}, badge(run.status), run.exitCode === null ? "" : "(" + run.exitCode + ")"),
      el("td", {}, time(run.startedAt)),
      el("td", { class: "num" }, duration(run.durationMs)),
      el("td", {}, run.host),
      el("td", {}, run.startedBy)));
    container.replaceChildren(el("table", { id: "runs-table" },
      el("thead", {}, el("tr", {}, ...["Run", "Task", "Result", "Started (UTC)", "Duration", "Host", "Started by"]
        .map(h => el("th", {}, h)))),
      el("tbody", {}, ...rows)));
  }

  form.addEventListener("submit", event => {
    event.preventDefault();
    history.replaceState(null, "", "?" + query());
    load();
  });
  load();
})();
