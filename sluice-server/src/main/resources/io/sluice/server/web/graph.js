"use strict";
// The run's graph by family, drawn in SVG: a box per family with its tasks counted per status and
// a bar in the status colours, a line per pair of families one requires from the other (what is
// required on the left). A click on a box opens it into its tasks, a square each (the first
// 300), each a link to its task page. A 100k-task run is a few boxes.
function RunGraph(container, runId, onOpen) {
  const W = 220, H = 58, COL_GAP = 90, ROW_GAP = 18, PAD = 12;
  const CELL = 11, CELLS_PER_ROW = Math.floor((W - 16) / CELL), MAX_CELLS = 300;
  const open = new Map();   // family -> its tasks (array), once loaded
  let last = null;

  /** Columns by depth: a family's column is one left of the leftmost family requiring it. */
  function columns(graph) {
    const depth = new Map(graph.families.map(f => [f.family, 0]));
    const links = graph.links.filter(l => l.family !== l.requires && depth.has(l.family) && depth.has(l.requires));
    // Longest path from the root, bounded so that a cycle between families cannot loop forever.
    for (let round = 0; round < depth.size; round++) {
      let changed = false;
      for (const link of links) {
        const d = depth.get(link.family) + 1;
        if (d > depth.get(link.requires) && d < depth.size) { depth.set(link.requires, d); changed = true; }
      }
      if (!changed) break;
    }
    const deepest = Math.max(0, ...depth.values());
    return new Map([...depth].map(([family, d]) => [family, deepest - d]));
  }

  function nodeHeight(family) {
    const tasks = open.get(family);
    if (!tasks) return H;
    return H + 8 + Math.ceil(Math.min(tasks.length, MAX_CELLS) / CELLS_PER_ROW) * CELL + 16;
  }

  function statusBar(family, x, y, width) {
    const parts = [];
    let offset = 0;
    for (const [status, count] of Object.entries(family.byStatus)) {
      const w = width * count / Math.max(1, family.total);
      parts.push(svg("rect", { x: x + offset, y, width: Math.max(w, 1), height: 8, class: fillClass(status) },
        svg("title", {}, status + " " + count)));
      offset += w;
    }
    return parts;
  }

  function cells(family, tasks, x, y) {
    const parts = tasks.slice(0, MAX_CELLS).map((task, i) => svg("a", {
      href: "/runs/" + encodeURIComponent(runId) + "/tasks/" + task.number, class: "task-cell" },
      svg("rect", { x: x + (i % CELLS_PER_ROW) * CELL, y: y + Math.floor(i / CELLS_PER_ROW) * CELL,
        width: CELL - 2, height: CELL - 2, class: fillClass(task.status) },
        svg("title", {}, task.name + " · " + task.status))));
    const rows = Math.ceil(Math.min(tasks.length, MAX_CELLS) / CELLS_PER_ROW);
    const more = family.total - Math.min(tasks.length, MAX_CELLS);
    parts.push(svg("text", { x, y: y + rows * CELL + 11, class: "more" },
      more > 0 ? "first " + Math.min(tasks.length, MAX_CELLS) + "; all " + family.total + " in the list below"
        : family.total + " shown"));
    return parts;
  }

  function draw(graph) {
    last = graph;
    const column = columns(graph);
    const place = new Map();
    const heights = [];
    for (const family of graph.families) {
      const c = column.get(family.family);
      const y = heights[c] === undefined ? PAD : heights[c];
      place.set(family.family, { x: PAD + c * (W + COL_GAP), y });
      heights[c] = y + nodeHeight(family.family) + ROW_GAP;
    }
    const width = PAD * 2 + Math.max(1, heights.length) * (W + COL_GAP) - COL_GAP;
    const height = Math.max(PAD * 2 + H, ...heights.filter(h => h !== undefined));
    const root = svg("svg", { width, height, id: "graph-svg", role: "img", "aria-label": "task graph by family" });
    for (const link of graph.links) {
      const from = place.get(link.requires), to = place.get(link.family);
      if (!from || !to || link.family === link.requires) continue;
      const x1 = from.x + W, y1 = from.y + H / 2, x2 = to.x, y2 = to.y + H / 2, mid = (x1 + x2) / 2;
      root.append(svg("path", { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, class: "link" },
        svg("title", {}, link.family + " requires " + link.requires + " (" + link.count + ")")));
      if (link.count > 1) root.append(svg("text", { x: mid, y: (y1 + y2) / 2 - 3, class: "count",
        "text-anchor": "middle" }, "×" + link.count));
    }
    for (const family of graph.families) {
      const { x, y } = place.get(family.family);
      const name = family.family.length > 30 ? family.family.slice(0, 29) + "…" : family.family;
      const counts = Object.entries(family.byStatus).map(([s, n]) => s.toLowerCase() + " " + n).join(", ");
      const group = svg("g", { class: "node" + (open.has(family.family) ? " open" : ""), "data-family": family.family,
        onclick: event => { if (!event.target.closest("a")) toggle(family.family); } },
        svg("title", {}, family.family + ": " + family.total + " tasks (" + counts + ")"),
        svg("rect", { class: "box", x, y, width: W, height: nodeHeight(family.family), rx: 4 }),
        svg("text", { class: "name", x: x + 8, y: y + 17 }, name),
        svg("text", { class: "count", x: x + 8, y: y + 33 }, family.total + (family.total === 1 ? " task" : " tasks")
          + (family.byStatus.FAILED ? " · " + family.byStatus.FAILED + " failed" : "")
          + (family.byStatus.RUNNING ? " · " + family.byStatus.RUNNING + " running" : "")),
        ...statusBar(family, x + 8, y + 42, W - 16));
      const tasks = open.get(family.family);
      if (tasks) group.append(...cells(family, tasks, x + 8, y + H + 8));
      root.append(group);
    }
    container.replaceChildren(root);
  }

  async function loadTasks(family) {
    const page = await api("/api/runs/" + encodeURIComponent(runId) + "/tasks?" + new URLSearchParams({
      family, limit: MAX_CELLS }));
    open.set(family, page.tasks);
  }

  async function toggle(family) {
    if (open.has(family)) {
      open.delete(family);
    } else {
      await loadTasks(family);
      if (onOpen) onOpen(family);
    }
    draw(last);
  }

  /** Draws the graph as the run's overview has it, with the tasks of the boxes open. */
  async function show(graph) {
    try {
      await Promise.all([...open.keys()].map(loadTasks));
      draw(graph);
    } catch (error) {
      showError(container, error);
    }
  }

  return { show };
}

/** A row of coloured squares that names the statuses, for the drawings. */
function statusLegend(statuses) {
  return el("div", { class: "legend" }, ...statuses.map(status => el("span", {},
    svg("svg", { width: 12, height: 12 }, svg("rect", { width: 10, height: 10, y: 1, class: fillClass(status) })),
    " " + status.toLowerCase())));
}
