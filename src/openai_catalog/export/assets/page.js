// Renders the entries embedded as JSON into a sortable, filterable table. Catalogue text is only
// ever assigned with textContent; links are set only for https URLs.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("catalog-data").textContent);
  const columns = data.columns;
  const table = document.getElementById("entries");
  const tbody = table.tBodies[0];
  const search = document.getElementById("search");
  const count = document.getElementById("count");
  const selects = Array.from(document.querySelectorAll("select[data-filter]"));

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function token(value) {
    return String(value).toLowerCase().replace(/[^a-z0-9-]/g, "");
  }

  function human(value) {
    const units = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];
    for (const [size, suffix] of units) {
      if (value >= size) return Number((value / size).toPrecision(3)) + suffix;
    }
    return String(value);
  }

  function cell(entry, column) {
    const value = entry[column.key];
    const td = el("td", undefined, column.numeric ? "num" : column.key);
    if (value === null || value === undefined || value === "") return td;
    if (column.key === "name") {
      if (typeof entry.link === "string" && entry.link.startsWith("https://")) {
        const a = el("a", value);
        a.href = entry.link;
        a.rel = "noopener noreferrer";
        td.appendChild(a);
      } else {
        td.textContent = value;
      }
    } else if (column.key === "license") {
      td.appendChild(el("span", value));
      td.appendChild(document.createElement("br"));
      td.appendChild(el("span", entry.license_category, "badge lic-" + token(entry.license_category)));
    } else if (column.key === "openness") {
      td.appendChild(el("span", value, "badge open-" + token(value)));
    } else if (column.numeric) {
      td.textContent = human(value);
      td.title = Number(value).toLocaleString("en");
    } else if (Array.isArray(value)) {
      td.textContent = value.join(", ");
    } else {
      td.textContent = value;
    }
    return td;
  }

  const rows = data.entries.map(function (entry) {
    const tr = document.createElement("tr");
    tr.dataset.id = entry.id;
    for (const column of columns) tr.appendChild(cell(entry, column));
    const words = [entry.id, entry.name, entry.summary, entry.kind, entry.license,
      entry.license_category, entry.openness].concat(entry.by, entry.tags, entry.aliases);
    return { entry: entry, tr: tr, text: words.filter(Boolean).join(" ").toLowerCase() };
  });

  function apply() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      let visible = words.every(function (w) { return row.text.includes(w); });
      for (const select of selects) {
        if (select.value && row.entry[select.dataset.filter] !== select.value) visible = false;
      }
      row.tr.hidden = !visible;
      if (visible) shown += 1;
    }
    count.textContent = shown + " of " + rows.length + " entries";
  }

  function missing(value) {
    return value === null || value === undefined || value === "";
  }

  function sortBy(th, column) {
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = column.key;
    rows.sort(function (a, b) {
      const x = a.entry[key], y = b.entry[key];
      if (missing(x) || missing(y)) return missing(x) - missing(y);  // no value: always last
      const order = column.numeric ? x - y
        : String(x).localeCompare(String(y), "en", { sensitivity: "base", numeric: true });
      return ascending ? order : -order;
    });
    for (const row of rows) tbody.appendChild(row.tr);
  }

  const head = table.tHead.rows[0];
  for (const column of columns) {
    const th = el("th", undefined, column.numeric ? "num" : "");
    th.scope = "col";
    const button = el("button", column.label);
    button.type = "button";
    button.addEventListener("click", function () { sortBy(th, column); });
    th.appendChild(button);
    head.appendChild(th);
  }
  for (const row of rows) tbody.appendChild(row.tr);
  search.addEventListener("input", apply);
  for (const select of selects) select.addEventListener("change", apply);
  apply();
})();
