// Shared by the pages. Every value from the history goes into the page as text (textContent),
// never as markup: a parameter "<script>" shows as those characters.
"use strict";

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}

function duration(ms) {
  if (ms === null || ms === undefined) return "";
  if (ms < 1000) return ms + " ms";
  const s = ms / 1000;
  if (s < 60) return s.toFixed(1) + " s";
  const m = Math.floor(s / 60);
  if (m < 60) return m + " min " + Math.round(s - m * 60) + " s";
  return Math.floor(m / 60) + " h " + (m % 60) + " min";
}

function time(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : "";
}

function badge(status, text) {
  return el("span", { class: "badge s-" + String(status).toLowerCase() }, text === undefined ? status : text);
}

function showError(container, error) {
  container.replaceChildren(el("p", { class: "error" }, String(error.message || error)));
}

/** Path segments after the given prefix: /runs/ID/tasks/N -> ["ID", "tasks", "N"]. */
function pathParts() {
  return location.pathname.split("/").filter(Boolean).map(decodeURIComponent);
}

/** An SVG element with attributes and children; text children become text nodes (never markup). */
function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** The CSS class that colours a task status in the SVG drawings. */
function fillClass(status) {
  return "g-" + String(status).toLowerCase();
}
