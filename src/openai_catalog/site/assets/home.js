// The home page: search and filters over every entry, client-side. The entries come as rows of a
// JSON island; catalogue text is only ever written with textContent. The state lives in the
// address's fragment (#q=...&kind=...), so a search can be shared, reloaded and gone back to, from
// file:// as well as from a web server.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("catalog-data").textContent);
  const F = {};
  data.fields.forEach(function (name, i) { F[name] = i; });
  const rows = data.entries;
  const PAGE = 50;
  const search = document.getElementById("q");
  const list = document.getElementById("results");
  const count = document.getElementById("count");
  const more = document.getElementById("more");
  const sortSelect = document.getElementById("sort");
  const filters = Array.from(document.querySelectorAll("select[data-filter]"));
  let shown = PAGE;
  let matches = [];

  function year(row) { const r = row[F.released]; return r ? r.slice(0, 4) : ""; }
  function commercial(row) {
    const c = row[F.commercial];
    return c === true ? "yes" : c === false ? "no" : (row[F.license] ? "unknown" : "");
  }
  const facet = {
    kind: function (row) { return [row[F.kind]]; },
    category: function (row) { return [row[F.category] || ""]; },
    commercial: function (row) { return [commercial(row)]; },
    openness: function (row) { return [row[F.openness] || ""]; },
    year: function (row) { return [year(row)]; },
    modality: function (row) { return row[F.modalities]; },
    tag: function (row) { return row[F.tags]; },
  };

  // What a word is matched against, folded once.
  const hay = rows.map(function (row) {
    return [row[F.name], row[F.id], row[F.aliases].join(" "), row[F.summary], row[F.tags].join(" "),
      row[F.by].join(" "), row[F.license] || "", row[F.modalities].join(" ")].join("\u0001").toLowerCase();
  });
  const names = rows.map(function (row) { return row[F.name].toLowerCase(); });

  // Fill each filter's options from the data, most frequent first for tags, in order otherwise.
  filters.forEach(function (select) {
    const key = select.dataset.filter;
    const counts = new Map();
    rows.forEach(function (row) {
      facet[key](row).forEach(function (v) { if (v) counts.set(v, (counts.get(v) || 0) + 1); });
    });
    let values = Array.from(counts.keys());
    const order = data.order[key];
    if (order) values.sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
    else if (key === "year") values.sort().reverse();
    else values.sort(function (a, b) { return counts.get(b) - counts.get(a) || (a < b ? -1 : 1); });
    values.forEach(function (v) {
      const option = document.createElement("option");
      option.value = v;
      option.textContent = v + " (" + counts.get(v) + ")";
      select.appendChild(option);
    });
  });

  function state() {
    const s = new URLSearchParams();
    if (search.value.trim()) s.set("q", search.value.trim());
    filters.forEach(function (select) { if (select.value) s.set(select.dataset.filter, select.value); });
    if (sortSelect.value !== "relevance") s.set("sort", sortSelect.value);
    return s;
  }

  function restore() {
    const s = new URLSearchParams(location.hash.slice(1) || location.search.slice(1));
    search.value = s.get("q") || "";
    filters.forEach(function (select) {
      const v = s.get(select.dataset.filter) || "";
      select.value = Array.from(select.options).some(function (o) { return o.value === v; }) ? v : "";
    });
    const sort = s.get("sort") || "relevance";
    sortSelect.value = Array.from(sortSelect.options).some(function (o) { return o.value === sort; }) ? sort : "relevance";
  }

  function number(row, key) { const v = row[F[key]]; return typeof v === "number" ? v : -1; }

  function compute() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const wanted = words.filter(function (w) { return w[0] !== "-" || w.length === 1; });
    const unwanted = words.filter(function (w) { return w[0] === "-" && w.length > 1; })
      .map(function (w) { return w.slice(1); });
    const chosen = filters.filter(function (s) { return s.value; })
      .map(function (s) { return [facet[s.dataset.filter], s.value]; });
    const found = [];
    for (let i = 0; i < rows.length; i++) {
      const h = hay[i];
      let ok = true;
      for (let w = 0; ok && w < wanted.length; w++) ok = h.indexOf(wanted[w]) !== -1;
      for (let w = 0; ok && w < unwanted.length; w++) ok = h.indexOf(unwanted[w]) === -1;
      for (let c = 0; ok && c < chosen.length; c++) ok = chosen[c][0](rows[i]).indexOf(chosen[c][1]) !== -1;
      if (ok) found.push(i);
    }
    const sort = sortSelect.value;
    const byName = function (a, b) { return names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0; };
    if (sort === "name" || (sort === "relevance" && !wanted.length)) {
      found.sort(byName);
    } else if (sort === "relevance") {
      const score = function (i) {
        let s = 0;
        wanted.forEach(function (w) { s += names[i] === w ? 4 : names[i].startsWith(w) ? 3 : names[i].indexOf(w) !== -1 ? 2 : 0; });
        return s;
      };
      const scores = new Map(found.map(function (i) { return [i, score(i)]; }));
      found.sort(function (a, b) { return scores.get(b) - scores.get(a) || byName(a, b); });
    } else if (sort === "released") {
      found.sort(function (a, b) {
        const x = rows[a][F.released] || "", y = rows[b][F.released] || "";
        return x < y ? 1 : x > y ? -1 : byName(a, b);
      });
    } else {
      found.sort(function (a, b) { return number(rows[b], sort) - number(rows[a], sort) || byName(a, b); });
    }
    return found;
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function pill(text, family) {
    return el("span", text, "pill " + family + "-" + String(text).toLowerCase().replace(/[^a-z0-9-]/g, ""));
  }

  function item(row) {
    const li = el("li");
    li.dataset.id = row[F.id];
    const a = el("a", row[F.name], "name");
    a.href = "entries/" + encodeURIComponent(row[F.id]) + ".html";
    li.appendChild(a);
    li.appendChild(el("p", row[F.summary]));
    const meta = el("p", undefined, "meta");
    meta.appendChild(pill(row[F.kind], "kind"));
    if (row[F.category]) { meta.appendChild(document.createTextNode(" " + row[F.license] + " ")); meta.appendChild(pill(row[F.category], "lic")); }
    if (row[F.openness]) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(pill(row[F.openness], "open")); }
    const bits = [];
    if (row[F.by].length) bits.push("by " + row[F.by].join(", "));
    if (row[F.released]) bits.push(row[F.released]);
    if (typeof row[F.downloads] === "number") bits.push(row[F.downloads].toLocaleString("en") + " downloads");
    if (typeof row[F.stars] === "number") bits.push(row[F.stars].toLocaleString("en") + " stars");
    if (bits.length) meta.appendChild(document.createTextNode(" · " + bits.join(" · ")));
    li.appendChild(meta);
    return li;
  }

  function render() {
    const fragment = document.createDocumentFragment();
    matches.slice(0, shown).forEach(function (i) { fragment.appendChild(item(rows[i])); });
    list.replaceChildren(fragment);
    const n = matches.length;
    count.textContent = n + " of " + rows.length + " entries" + (n > shown ? ", showing the first " + shown : "");
    more.hidden = n <= shown;
  }

  function update(remember) {
    matches = compute();
    shown = PAGE;
    render();
    if (remember) {
      const hash = state().toString();
      if (hash !== location.hash.slice(1)) history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    }
  }

  search.addEventListener("input", function () { update(true); });
  filters.concat([sortSelect]).forEach(function (s) { s.addEventListener("change", function () { update(true); }); });
  more.addEventListener("click", function () {
    const first = shown;
    shown += PAGE;
    render();
    const next = list.children[first];
    if (next) next.querySelector("a").focus();
  });
  window.addEventListener("hashchange", function () { restore(); update(false); });
  // Keyboard: "/" focuses the search box; the arrow keys move between results and the box.
  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (event.key === "/" && target.tagName !== "INPUT" && target.tagName !== "TEXTAREA" && target.tagName !== "SELECT") {
      event.preventDefault();
      search.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = Array.from(list.querySelectorAll("a.name"));
    const at = links.indexOf(target);
    if (target === search && event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[0].focus();
    } else if (at !== -1) {
      event.preventDefault();
      if (event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
      else if (event.key === "ArrowUp") (at ? links[at - 1] : search).focus();
    }
  });
  restore();
  update(false);
  document.documentElement.dataset.ready = "1";
})();
