"use strict";
// Now: the runs in progress (host, pid, root task) with the tasks they run, remote runs per tier,
// the task leases held. Refreshed every 3 s.
(function () {
  function runs(list) {
    if (list.length === 0) return el("p", { class: "muted" }, "No run in progress.");
    return el("div", {}, ...list.map(run => el("div", { class: "family now-run", "data-run": run.id },
      el("div", { class: "head" },
        el("a", { href: "/runs/" + encodeURIComponent(run.id), class: "run-link" }, run.id),
        el("span", { class: "name" }, run.rootTask),
        el("span", {}, run.host + " · pid " + run.pid + " · " + run.user),
        el("span", {}, "since " + time(run.startedAt)),
        el("span", {}, run.runningTasks + (run.runningTasks === 1 ? " task running" : " tasks running"))),
      el("div", { class: "body" }, run.tasks.length === 0 ? el("p", { class: "muted" }, "no task running")
        : el("table", {}, el("thead", {}, el("tr", {}, ...["Task", "Attempt", "Started (UTC)", "Remote"]
          .map(h => el("th", {}, h)))),
          el("tbody", {}, ...run.tasks.map(task => el("tr", {},
            el("td", {}, el("a", { href: "/runs/" + encodeURIComponent(run.id) + "/tasks/" + task.number,
              class: "task-link" }, task.name)),
            el("td", { class: "num" }, task.attempts),
            el("td", {}, time(task.startedAt)),
            el("td", {}, task.remote ? task.remote.backend + " " + (task.remote.runId || "") + " · tier "
              + task.remote.tier : "")))))))));
  }

  function tiers(list) {
    if (list.length === 0) return el("p", { class: "muted" }, "No remote run active.");
    return el("table", { id: "tiers-table" }, el("thead", {}, el("tr", {}, ...["Tier", "Active", "Backends"]
      .map(h => el("th", {}, h)))), el("tbody", {}, ...list.map(tier => el("tr", {},
        el("td", {}, tier.tier), el("td", { class: "num" }, tier.active),
        el("td", {}, Object.entries(tier.backends).map(([b, n]) => b + " " + n).join(", "))))));
  }

  function leases(list) {
    if (list.length === 0) return el("p", { class: "muted" },
      "No lease held (leases are taken across machines with a PostgreSQL history only).");
    return el("table", {}, el("thead", {}, el("tr", {}, ...["Task", "Run", "Host", "Pid", "Heartbeat", "Expires"]
      .map(h => el("th", {}, h)))), el("tbody", {}, ...list.map(lease => el("tr", {},
        el("td", {}, lease.task), el("td", {}, el("a", { href: "/runs/" + encodeURIComponent(lease.runId) }, lease.runId)),
        el("td", {}, lease.host), el("td", { class: "num" }, lease.pid), el("td", {}, time(lease.heartbeatAt)),
        el("td", {}, time(lease.expiresAt))))));
  }

  // What each run holds against its [resources] limits: a row per run and resource.
  function resources(list) {
    const rows = [];
    for (const run of list) {
      if (!run.resources) continue;
      const names = [...new Set([...Object.keys(run.resources.limits), ...Object.keys(run.resources.held)])].sort();
      for (const name of names) {
        const held = run.resources.held[name] || 0;
        const limit = run.resources.limits[name];
        rows.push(el("tr", { "data-run": run.id, "data-resource": name },
          el("td", {}, el("a", { href: "/runs/" + encodeURIComponent(run.id) }, run.id)), el("td", {}, name),
          el("td", { class: "num" }, held), el("td", { class: "num" }, limit === undefined ? "no limit" : limit),
          el("td", {}, limit ? bar(held, limit) : "")));
      }
    }
    if (rows.length === 0) return el("p", { class: "muted" },
      "No run in progress has resource limits or runs tasks that hold resources.");
    return el("table", { id: "resources-table" }, el("thead", {}, el("tr", {}, ...["Run", "Resource", "Held", "Limit", ""]
      .map(h => el("th", {}, h)))), el("tbody", {}, ...rows));
  }

  function bar(held, limit) {
    return el("meter", { min: 0, max: limit, high: limit, value: Math.min(held, limit),
      title: Math.round(100 * held / limit) + "%" });
  }

  async function load() {
    try {
      const now = await api("/api/now");
      document.getElementById("at").textContent = "As of " + time(now.at) + " UTC";
      document.getElementById("runs").replaceChildren(runs(now.runs));
      document.getElementById("tiers").replaceChildren(tiers(now.remoteByTier));
      document.getElementById("leases").replaceChildren(leases(now.leases));
      document.getElementById("resources").replaceChildren(resources(now.runs));
    } catch (error) {
      showError(document.getElementById("runs"), error);
    }
    setTimeout(load, 3000);
  }
  load();
})();
