"use strict";
// The run's timeline (Gantt) in SVG: a lane per family. Up to 2000 tasks, a bar per task in its
// status colour (a link to its task page), packed in as few rows as the family's overlap needs;
// beyond, each lane shows the family's span and how many of its tasks started in each slice of
// the run's time. A task still running reaches to now.
function RunTimeline(container, runId) {
  const LABEL = 170, WIDTH = 1100, ROW = 12, LANE_GAP = 8, TOP = 22;

  function axis(root, x0, width, t0, t1, height) {
    for (let i = 0; i <= 4; i++) {
      const x = x0 + width * i / 4;
      root.append(svg("line", { x1: x, x2: x, y1: TOP - 4, y2: height, class: "tick" }),
        svg("text", { x, y: 12, class: "axis", "text-anchor": i === 0 ? "start" : i === 4 ? "end" : "middle" },
          i === 0 ? time(new Date(t0).toISOString()) : "+" + duration(Math.round((t1 - t0) * i / 4))));
    }
  }

  /** Rows of non-overlapping bars: each task goes in the first row free at its start. */
  function pack(tasks, now) {
    const rows = [];
    for (const task of tasks) {
      const start = Date.parse(task.startedAt), end = task.endedAt ? Date.parse(task.endedAt) : now;
      let row = rows.findIndex(r => r <= start);
      if (row < 0) { row = rows.length; rows.push(end); } else rows[row] = end;
      task.row = row;
      task.start = start;
      task.end = end;
    }
    return Math.max(1, rows.length);
  }

  function drawTasks(body) {
    const now = Date.now();
    const byFamily = new Map();
    for (const task of body.tasks) {
      if (!byFamily.has(task.family)) byFamily.set(task.family, []);
      byFamily.get(task.family).push(task);
    }
    const rowsOf = new Map([...byFamily].map(([family, tasks]) => [family, pack(tasks, now)]));
    const t0 = Math.min(...body.tasks.map(t => t.start));
    const t1 = Math.max(t0 + 1, ...body.tasks.map(t => t.end));
    const chart = WIDTH - LABEL;
    const scale = chart / (t1 - t0);
    let y = TOP;
    const height = TOP + [...rowsOf.values()].reduce((sum, rows) => sum + rows * ROW + LANE_GAP, 0);
    const root = svg("svg", { width: WIDTH, height, id: "timeline-svg", role: "img", "aria-label": "timeline" });
    axis(root, LABEL, chart, t0, t1, height);
    for (const [family, tasks] of byFamily) {
      root.append(svg("text", { x: 4, y: y + 10, class: "lane-name" }, family.length > 24 ? family.slice(0, 23) + "…" : family));
      for (const task of tasks) {
        const x = LABEL + (task.start - t0) * scale;
        root.append(svg("a", { href: "/runs/" + encodeURIComponent(runId) + "/tasks/" + task.number, class: "bar-link" },
          svg("rect", { x, y: y + task.row * ROW, width: Math.max(1.5, (task.end - task.start) * scale), height: ROW - 2,
            class: fillClass(task.status) },
            svg("title", {}, task.name + " · " + task.status + " · " + duration(task.end - task.start)))));
      }
      y += rowsOf.get(family) * ROW + LANE_GAP;
    }
    container.replaceChildren(root);
  }

  function drawFamilies(body) {
    const lanes = body.families;
    // The slices cover the run's time, from..to: so does the axis.
    const t0 = Date.parse(body.from);
    const t1 = Math.max(t0 + 1, Date.parse(body.to));
    const chart = WIDTH - LABEL, scale = chart / (t1 - t0), LANE = 30;
    const height = TOP + lanes.length * (LANE + LANE_GAP);
    const root = svg("svg", { width: WIDTH, height, id: "timeline-svg", role: "img", "aria-label": "timeline by family" });
    axis(root, LABEL, chart, t0, t1, height);
    const slice = chart / body.slices;
    lanes.forEach((lane, i) => {
      const y = TOP + i * (LANE + LANE_GAP);
      const most = Math.max(1, ...lane.startsPerSlice);
      root.append(svg("text", { x: 4, y: y + 18, class: "lane-name" }, lane.family.length > 24 ? lane.family.slice(0, 23) + "…" : lane.family),
        svg("rect", { x: LABEL + (Date.parse(lane.first) - t0) * scale, y, height: LANE,
          width: Math.max(1.5, (Date.parse(lane.last) - Date.parse(lane.first)) * scale), class: "span" },
          svg("title", {}, lane.family + ": " + lane.started + " tasks started, from " + time(lane.first) + " to "
            + time(lane.last))));
      lane.startsPerSlice.forEach((count, s) => {
        if (count === 0) return;
        const h = Math.max(1, LANE * count / most);
        root.append(svg("rect", { x: LABEL + s * slice, y: y + LANE - h, width: Math.max(1, slice - 0.5), height: h,
          class: "g-starts" }, svg("title", {}, count + " started")));
      });
    });
    container.replaceChildren(root);
  }

  /** Draws the timeline as the run's overview has it. */
  function show(body) {
    const empty = body.mode === "tasks" ? body.tasks.length === 0 : body.families.length === 0;
    if (empty) container.replaceChildren(el("p", { class: "muted" }, "No task has started yet."));
    else if (body.mode === "tasks") drawTasks(body);
    else drawFamilies(body);
    container.dataset.mode = body.mode;
  }

  return { show };
}
