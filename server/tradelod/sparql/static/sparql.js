// The tradelod query page: run the editor's query against /sparql and show the answer as a table.
// No framework and nothing from another origin: the page must work with no network but the server.
// Every value from the results is written with textContent (never innerHTML), and only http(s)
// IRIs become links; IRIs of the dataset link to their pages on this host.
"use strict";

(function () {
  const settings = JSON.parse(document.getElementById("sparql-settings").textContent);
  // The page's words, translated on the server (gettext catalogs), so the script holds no UI text.
  const T = JSON.parse(document.getElementById("sparql-text").textContent);
  const say = (text, values) => text.replace(/%\((\w+)\)s/g, (m, name) => String(values[name]));
  const numberFormat = new Intl.NumberFormat(settings.lang === "fr" ? "fr" : "en");
  const NUMERIC = /#(decimal|integer|double|float|nonNegativeInteger|positiveInteger|long|int)$/;
  const editor = document.getElementById("query");
  const form = document.getElementById("query-form");
  const status = document.getElementById("status");
  const notice = document.getElementById("notice");
  const downloads = document.getElementById("downloads");
  const errorBox = document.getElementById("error");
  const table = document.getElementById("results");
  const permalink = document.getElementById("permalink");
  const prefixes = Object.entries(settings.prefixes).sort((a, b) => b[1].length - a[1].length);
  const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";
  let running = null;

  function permalinkFor(query, format) {
    const params = new URLSearchParams({ query: query });
    if (format) params.set("format", format);
    return settings.endpoint + "?" + params.toString();
  }

  function shorten(iri) {
    for (const [prefix, namespace] of prefixes) {
      const local = iri.slice(namespace.length);
      if (iri.startsWith(namespace) && /^[A-Za-z0-9_\-./]*$/.test(local)) return prefix + ":" + local;
    }
    return iri;
  }

  function iriNode(iri) {
    let href = null;
    if (iri.startsWith(settings.base)) {
      href = "/" + iri.slice(settings.base.length);
      if (settings.stickyLang && !/\.[a-z]+$/.test(href.split("#")[0])) {
        const [path, fragment] = href.split("#");
        href = path + "?lang=" + settings.stickyLang + (fragment !== undefined ? "#" + fragment : "");
      }
    } else if (/^https?:\/\//i.test(iri)) {
      href = iri;
    }
    const node = document.createElement(href ? "a" : "span");
    node.className = "iri";
    node.textContent = shorten(iri);
    node.title = iri;
    node.dataset.iri = iri;
    if (href) {
      node.href = href;
      if (!iri.startsWith(settings.base)) node.rel = "noopener noreferrer external";
    }
    return node;
  }

  function termNode(term) {
    if (!term) return document.createTextNode("");
    if (term.type === "uri") return iriNode(term.value);
    if (term.type === "bnode") {
      const span = document.createElement("span");
      span.className = "bnode";
      span.textContent = "_:" + term.value;
      return span;
    }
    if (term.type === "triple") {
      const span = document.createElement("span");
      span.className = "triple";
      const v = term.value;
      span.append("<< ", termNode(v.subject), " ", termNode(v.predicate), " ", termNode(v.object), " >>");
      return span;
    }
    const span = document.createElement("span");
    span.className = "literal";
    span.textContent = term.value;
    if (term.datatype && NUMERIC.test(term.datatype) && term.value.trim() !== "" && !Number.isNaN(Number(term.value))) {
      span.textContent = numberFormat.format(Number(term.value));
      span.dataset.value = term.value;
    }
    const tag = document.createElement("sup");
    tag.className = "tag";
    if (term["xml:lang"]) {
      span.lang = term["xml:lang"];
      tag.textContent = "@" + term["xml:lang"];
    } else if (term.datatype) {
      tag.textContent = "^^" + shorten(term.datatype);
      tag.title = term.datatype;
    }
    const wrap = document.createElement("span");
    wrap.append(span);
    if (tag.textContent) wrap.append(tag);
    return wrap;
  }

  // N-Triples (as Oxigraph writes it) into SPARQL-JSON-like terms, for CONSTRUCT and DESCRIBE.
  const NT_TERM = /^(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)\s*/;
  function unescapeNt(text) {
    return text.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (m, e) => {
      if (e[0] === "u" || e[0] === "U") return String.fromCodePoint(parseInt(e.slice(1), 16));
      return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", '"': '"', "'": "'", "\\": "\\" }[e] ?? e;
    });
  }
  function parseNTriples(text) {
    const rows = [];
    for (let line of text.split("\n")) {
      line = line.trim();
      if (!line || line.startsWith("#")) continue;
      const terms = [];
      while (terms.length < 3) {
        const m = NT_TERM.exec(line);
        if (!m) break;
        if (m[1] !== undefined) terms.push({ type: "uri", value: unescapeNt(m[1]) });
        else if (m[2] !== undefined) terms.push({ type: "bnode", value: m[2] });
        else {
          const literal = { type: "literal", value: unescapeNt(m[3]) };
          if (m[4]) literal["xml:lang"] = m[4];
          if (m[5]) literal.datatype = m[5];
          terms.push(literal);
        }
        line = line.slice(m[0].length);
      }
      if (terms.length === 3) rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
    }
    return rows;
  }

  function showTable(vars, rows) {
    const head = table.tHead;
    const body = table.tBodies[0];
    head.replaceChildren();
    body.replaceChildren();
    const tr = document.createElement("tr");
    for (const name of vars) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      tr.append(th);
    }
    head.append(tr);
    const fragment = document.createDocumentFragment();
    for (const row of rows) {
      const line = document.createElement("tr");
      for (const name of vars) {
        const td = document.createElement("td");
        td.append(termNode(row[name]));
        line.append(td);
      }
      fragment.append(line);
    }
    body.append(fragment);
    table.hidden = false;
  }

  // People, not CURIEs: the dataset's IRIs in the table get their labels in the page language
  // (asked of this endpoint in one query); the IRI stays on hover (title) and in data-iri.
  async function labelIris() {
    const links = Array.from(table.querySelectorAll(".iri[data-iri]"));
    const iris = [...new Set(links.map((a) => a.dataset.iri).filter((iri) => iri.startsWith(settings.base)))];
    if (!iris.length) {
      table.dataset.labelled = "true";
      return;
    }
    const values = iris.slice(0, 500).filter((iri) => !/[<>"{}|^`\\\s]/.test(iri)).map((iri) => "<" + iri + ">").join(" ");
    const lang = settings.lang === "fr" ? "fr" : "en";
    const query = "SELECT ?s ?l WHERE { VALUES ?s { " + values + " } ?s rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), \"" + lang + "\")) }";
    try {
      const response = await fetch(settings.endpoint, {
        method: "POST",
        headers: { Accept: "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ query: query }),
      });
      if (!response.ok) throw new Error("labels: " + response.status);
      const names = new Map();
      for (const b of (await response.json()).results.bindings) {
        if (!names.has(b.s.value)) names.set(b.s.value, b.l.value);
      }
      for (const link of links) {
        const name = names.get(link.dataset.iri);
        if (name) {
          link.textContent = name;
          link.classList.add("labelled");
        }
      }
    } catch (error) {
      // labels are a convenience: the table stays as it is without them
    }
    table.dataset.labelled = "true";
  }

  function showDownloads(query, formats) {
    downloads.replaceChildren(T.download + " ");
    formats.forEach((format, index) => {
      const a = document.createElement("a");
      a.href = permalinkFor(query, format);
      a.textContent = format.toUpperCase();
      a.setAttribute("download", "tradelod-results." + format);
      a.dataset.format = format;
      downloads.append(a);
      if (index < formats.length - 1) downloads.append(" · ");
    });
    downloads.hidden = false;
  }

  function reset() {
    delete table.dataset.labelled;
    errorBox.hidden = true;
    notice.hidden = true;
    downloads.hidden = true;
    table.hidden = true;
  }

  async function run() {
    const query = editor.value;
    if (running) running.abort();
    running = new AbortController();
    reset();
    const link = permalinkFor(query);
    permalink.href = link;
    history.replaceState(null, "", link);
    status.textContent = T.running;
    const started = performance.now();
    let response;
    try {
      response = await fetch(settings.endpoint, {
        method: "POST",
        headers: { Accept: ACCEPT, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ query: query }),
        signal: running.signal,
      });
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = T.unreachable + " " + error.message;
      return;
    }
    const text = await response.text();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      status.textContent = say(T.error, { status: response.status, seconds: seconds });
      errorBox.textContent = text;
      errorBox.hidden = false;
      return;
    }
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    let count;
    if (type === "application/sparql-results+json") {
      const doc = JSON.parse(text);
      if (typeof doc.boolean === "boolean") {
        count = null;
        showTable(["answer"], [{ answer: { type: "literal", value: String(doc.boolean) } }]);
      } else {
        count = doc.results.bindings.length;
        showTable(doc.head.vars, doc.results.bindings);
      }
      showDownloads(query, settings.resultFormats);
    } else {
      const rows = parseNTriples(text);
      count = rows.length;
      showTable(["subject", "predicate", "object"], rows);
      showDownloads(query, settings.graphFormats);
    }
    status.textContent = count === null ? say(T.ask, { seconds: seconds }) :
      say((settings.lang === "fr" ? count <= 1 : count === 1) ? T.one : T.many, { count: numberFormat.format(count), seconds: seconds });
    if (response.headers.get("X-Tradelod-Truncated") === "true") {
      notice.textContent = say(T.truncated, { limit: response.headers.get("X-Tradelod-Row-Limit") });
      notice.hidden = false;
    }
    labelIris();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
    }
  });
  document.getElementById("insert-prefixes").addEventListener("click", () => {
    const present = new Set([...editor.value.matchAll(/PREFIX\s+([A-Za-z0-9_-]*):/gi)].map((m) => m[1]));
    const lines = Object.entries(settings.prefixes)
      .filter(([prefix]) => !present.has(prefix))
      .map(([prefix, namespace]) => "PREFIX " + prefix + ": <" + namespace + ">");
    if (lines.length) editor.value = lines.join("\n") + "\n" + editor.value;
    editor.focus();
  });
  document.getElementById("examples").addEventListener("click", (event) => {
    const link = event.target.closest("a[data-example]");
    if (!link) return;
    event.preventDefault();
    editor.value = document.getElementById("example-" + link.dataset.example).content.textContent;
    run();
  });
  if (editor.dataset.autorun === "true") run();
})();
