"use strict";
// A run: its families with counts per status (a 100k-task run is a few dozen rows), a family's
// tasks on click, and a paged table of all tasks. The run, its graph, its timeline and the first
// page of its tasks come in one answer (the overview), asked again every 2 s while the run goes on.
(function () {
  const runId = pathParts()[1];
  const PAGE = 100;
  const open = new Map();       // family -> its TaskTable, while expanded
  let allTasks = null;
  let timer = null;
  const graph = RunGraph(document.getElementById("graph"), runId, family => {
    const box = document.querySelector(".family[data-family='" + CSS.escape(family) + "']");
    if (box && !open.has(family)) box.querySelector(".head").click();
  });
  const timeline = RunTimeline(document.getElementById("timeline"), runId);
  document.getElementById("legend").replaceChildren(statusLegend(["PENDING", "RUNNING", "DONE", "COMPLETE", "FAILED",
    "UPSTREAM_FAILED", "SKIPPED"]));

  /** A paged table of the run's tasks that pass a filter; it shows firstPage when given, else asks for it. */
  function TaskTable(container, filter, firstPage) {
    let offset = 0;
    async function load() {
      const params = new URLSearchParams({ offset, limit: PAGE });
      for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
      try {
        const page = await api("/api/runs/" + encodeURIComponent(runId) + "/tasks?" + params);
        render(page);
      } catch (error) {
        showError(container, error);
      }
    }
    function render(page) {
      const rows = page.tasks.map(task => el("tr", {},
        el("td", { class: "num" }, task.number),
        el("td", {}, el("a", { href: "/runs/" + encodeURIComponent(runId) + "/tasks/" + task.number,
          class: "task-link" }, task.name)),
        el("td", {}, badge(task.status)),
        el("td", { class: "num" }, task.attempts),
        el("td", {}, time(task.startedAt)),
        el("td", { class: "num" }, duration(task.durationMs)),
        el("td", {}, task.error || "")));
      const last = Math.min(page.offset + PAGE, page.total);
      const pager = el("div", { class: "pager" },
        el("button", { type: "button", onclick: () => { offset = Math.max(0, offset - PAGE); load(); },
          ...(offset === 0 ? { disabled: "" } : {}) }, "‹ Previous"),
        el("span", {}, page.total === 0 ? "no tasks" : (page.offset + 1) + "–" + last + " of " + page.total),
        el("button", { type: "button", onclick: () => { offset += PAGE; load(); },
          ...(last >= page.total ? { disabled: "" } : {}) }, "Next ›"));
      container.replaceChildren(pager, el("table", { class: "tasks" },
        el("thead", {}, el("tr", {}, ...["#", "Task", "Status", "Attempts", "Started (UTC)", "Duration", "Error"]
          .map(h => el("th", {}, h)))),
        el("tbody", {}, ...rows)));
    }
    /** The overview's first page of all tasks: shown when this table shows that page, else its own page asked again. */
    function update(page) {
      if (offset === 0 && Object.values(filter).every(value => !value)) render(page);
      else load();
    }
    if (firstPage) render(firstPage);
    else load();
    return { update };
  }

  function renderSummary(run) {
    document.title = run.rootTask + " · Sluice";
    document.getElementById("title").replaceChildren(run.rootTask + " ", badge(run.status));
    const meta = el("dl", { class: "meta" });
    const add = (label, value) => meta.append(el("dt", {}, label), el("dd", {}, value === null ? "" : value));
    add("Run", run.id);
    add("Started (UTC)", time(run.startedAt));
    add("Duration", run.durationMs === null ? "running" : duration(run.durationMs));
    add("Exit code", run.exitCode);
    add("Host / user", run.host + " / " + run.user);
    add("Command", run.commandLine);
    add("Commit", run.gitCommit);
    add("Started by", run.startedBy);
    add("Tasks", el("span", { id: "status-totals" }, run.taskCount + " ",
      ...Object.entries(run.byStatus).map(([status, count]) => badge(status, status + " " + count))));
    document.getElementById("summary").replaceChildren(meta);
  }

  function renderFamilies(families) {
    const container = document.getElementById("families");
    const nodes = families.map(family => {
      const body = el("div", { class: "body" });
      const box = el("div", { class: "family", "data-family": family.family },
        el("div", { class: "head", onclick: () => toggle(family.family, body) },
          el("span", { class: "name" }, family.family),
          el("span", { class: "num" }, family.total + (family.total === 1 ? " task" : " tasks")),
          el("span", {}, ...Object.entries(family.byStatus).map(([s, n]) => badge(s, s + " " + n)))),
        body);
      if (open.has(family.family)) {
        open.set(family.family, TaskTable(body, { family: family.family }));
      }
      return box;
    });
    container.replaceChildren(...nodes);
  }

  function toggle(family, body) {
    if (open.has(family)) {
      open.delete(family);
      body.replaceChildren();
    } else {
      open.set(family, TaskTable(body, { family }));
    }
  }

  /** The status choices of the filter: the statuses the run has. */
  function addStatuses(run) {
    const select = document.getElementById("task-filters").elements.status;
    for (const status of Object.keys(run.byStatus)) {
      if (![...select.options].some(o => o.value === status)) select.append(el("option", { value: status }, status));
    }
  }

  function filterTasks() {
    const form = document.getElementById("task-filters");
    form.addEventListener("submit", event => {
      event.preventDefault();
      allTasks = TaskTable(document.getElementById("all-tasks"),
        { status: form.elements.status.value, q: form.elements.q.value.trim() });
    });
  }

  async function load() {
    clearTimeout(timer);
    try {
      const overview = await api("/api/runs/" + encodeURIComponent(runId) + "/overview");
      const run = overview.run;
      renderSummary(run);
      renderFamilies(run.families);
      addStatuses(run);
      graph.show(overview.graph);
      timeline.show(overview.timeline);
      if (allTasks) allTasks.update(overview.tasks);
      else allTasks = TaskTable(document.getElementById("all-tasks"), {}, overview.tasks);
      if (run.status === "running") timer = setTimeout(load, 2000);
    } catch (error) {
      showError(document.getElementById("summary"), error);
    }
  }
  filterTasks();
  load();
})();
