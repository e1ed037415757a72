"use strict";
// A task of a run: parameters, timings, attempts, error, log tail, outputs, remote run, past runs.
// Polls while the task is running, so its log tail stays live.
(function () {
  const [, runId, , number] = pathParts();
  const container = document.getElementById("task");
  document.getElementById("run-link").href = "/runs/" + encodeURIComponent(runId);
  document.getElementById("run-link").textContent = "run " + runId;

  function section(title, ...content) {
    return [el("h2", {}, title), ...content];
  }

  function meta(pairs) {
    const list = el("dl", { class: "meta" });
    for (const [label, value] of pairs) list.append(el("dt", {}, label), el("dd", {}, value ?? ""));
    return list;
  }

  function render(task) {
    document.title = task.name + " · Sluice";
    document.getElementById("title").replaceChildren(task.name + " ", badge(task.status));
    const parts = [];
    parts.push(meta([["Family", task.family], ["Attempts", task.attempts], ["Started (UTC)", time(task.startedAt)],
      ["Ended (UTC)", time(task.endedAt)], ["Duration", duration(task.durationMs)]]));
    const params = Object.entries(task.params || {});
    parts.push(...section("Parameters", params.length === 0 ? el("p", { class: "muted" }, "none")
      : el("table", { id: "params" }, el("tbody", {}, ...params.map(([k, v]) => el("tr", {}, el("th", {}, k),
        el("td", {}, v)))))));
    if (task.events.length > 0) {
      parts.push(...section("Attempts and notes", el("table", {}, el("tbody", {}, ...task.events.map(e =>
        el("tr", {}, el("td", {}, time(e.at)), el("td", {}, e.kind), el("td", { class: "num" }, e.attempt),
          el("td", {}, e.message || "")))))));
    }
    if (task.error) {
      parts.push(...section("Error", el("pre", { id: "error" }, task.error)));
      if (task.stackTrace) parts.push(el("details", {}, el("summary", {}, "Stack trace"), el("pre", {}, task.stackTrace)));
    }
    parts.push(...section("Log", task.logFile ? el("p", { class: "muted" }, task.logFile
      + (task.logSize === null ? " (no such file here: the task wrote no log, or it ran on another machine)" : " · " + task.logSize + " bytes, last part shown")) : null,
      task.logTail === null ? el("p", { class: "muted" }, "no log") : el("pre", { id: "log" }, task.logTail)));
    if (task.outputs.length > 0) {
      parts.push(...section("Outputs", el("table", { id: "outputs" }, el("tbody", {}, ...task.outputs.map(o =>
        el("tr", {}, el("td", {}, o.path), el("td", { class: "num" }, o.exists ? (o.size ?? "") + " bytes" : "missing")))))));
    }
    if (task.remote) {
      const r = task.remote;
      parts.push(...section("Remote run", meta([["Backend", r.backend], ["Remote run id", r.runId], ["Tier", r.tier],
        ["Commit", r.commit], ["Queued", duration(r.queuedMs)], ["Ran", duration(r.ranMs)]])));
    }
    parts.push(...section("Past runs", pastRuns(task.pastRuns)));
    container.replaceChildren(...parts.filter(Boolean));
  }

  /** The task's past runs: a duration chart (oldest on the left, a bar each, a link to its run) and a table. */
  function pastRuns(runs) {
    if (runs.length === 0) return el("p", { class: "muted" }, "none");
    const W = 640, H = 140, LEFT = 56, BOTTOM = 18;
    const longest = Math.max(1, ...runs.map(r => r.durationMs || 0));
    const step = Math.min(40, (W - LEFT) / runs.length);
    const chart = svg("svg", { width: W, height: H, id: "duration-chart", role: "img", "aria-label": "durations" },
      svg("text", { x: 0, y: 10, class: "axis" }, duration(longest)),
      svg("text", { x: 0, y: H - BOTTOM, class: "axis" }, "0"),
      svg("line", { x1: LEFT, x2: W, y1: H - BOTTOM, y2: H - BOTTOM, class: "tick" }),
      svg("text", { x: LEFT, y: H - 4, class: "axis" }, "oldest"),
      svg("text", { x: W, y: H - 4, class: "axis", "text-anchor": "end" }, "latest"));
    [...runs].reverse().forEach((r, i) => {
      const h = Math.max(1, (H - BOTTOM - 14) * (r.durationMs || 0) / longest);
      chart.append(svg("a", { href: "/runs/" + encodeURIComponent(r.runId) },
        svg("rect", { x: LEFT + i * step + 1, y: H - BOTTOM - h, width: Math.max(1, step - 2), height: h,
          class: fillClass(r.status) },
          svg("title", {}, r.runId + " · " + r.status + " · " + duration(r.durationMs) + " · " + time(r.startedAt)))));
    });
    const table = el("table", { id: "past-runs" }, el("tbody", {}, ...runs.map(r =>
      el("tr", {}, el("td", {}, el("a", { href: "/runs/" + encodeURIComponent(r.runId) }, r.runId)),
        el("td", {}, r.name), el("td", {}, badge(r.status)), el("td", {}, time(r.startedAt)),
        el("td", { class: "num" }, duration(r.durationMs))))));
    return el("div", {}, el("div", { class: "drawing" }, chart), table);
  }

  async function load() {
    try {
      const task = await api("/api/runs/" + encodeURIComponent(runId) + "/tasks/" + encodeURIComponent(number));
      render(task);
      if (task.status === "RUNNING") setTimeout(load, 2000);
    } catch (error) {
      showError(container, error);
    }
  }
  load();
})();
