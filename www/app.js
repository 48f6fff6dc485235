// The offline page: the same wasm engine as the extension (in a worker, off
// the main thread), fed from a textarea, a file picker or a drop. Diff text is
// only ever inserted with textContent.

const $ = (id) => document.getElementById(id);
const input = $('input');
const status = $('status');
const list = $('findings');
const counts = $('counts');
const minSeverity = $('minSeverity');
const SEVERITIES = ['critical', 'high', 'warning', 'info'];

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  return e;
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const pending = new Map();
let nextId = 1;
let ready = false;
const engine = new Promise((resolve) => {
  worker.addEventListener('message', (e) => {
    const m = e.data || {};
    if (m.type === 'ready') {
      ready = true;
      $('engine').textContent = `engine ${m.version}`;
      status.textContent = 'Ready.';
      resolve();
    } else if (m.type === 'failed') {
      status.textContent = `Could not load the engine: ${m.error}`;
      resolve();
    } else if (pending.has(m.id)) {
      pending.get(m.id)(m);
      pending.delete(m.id);
    }
  });
  worker.addEventListener('error', (e) => {
    status.textContent = `Could not load the engine: ${e.message || 'worker error'}`;
    resolve();
  });
});

function analyzeInWorker(data, opts, format) {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, data, opts, format });
  });
}

// The last analysed input, for saving its report.
let last = null;
const SAVE = {
  sarif: ['blastradius.sarif', 'application/sarif+json'],
  markdown: ['blastradius.md', 'text/markdown'],
  html: ['blastradius.html', 'text/html'],
  json: ['blastradius.json', 'application/json'],
};

/** Renders the last report as `format` in the worker and saves it as a file (a blob: URL, nothing uploaded). */
async function save(format) {
  if (!last) return;
  const r = await analyzeInWorker(last.data, last.opts, format);
  if (!r.ok) {
    status.textContent = `Could not save the report: ${r.error}`;
    return;
  }
  const [name, type] = SAVE[format];
  const url = URL.createObjectURL(new Blob([r.text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
for (const format of Object.keys(SAVE)) $(`save-${format}`).addEventListener('click', () => save(format));

function renderFacts(report) {
  const facts = $('facts');
  facts.replaceChildren();
  const risk = report.risk && (Number.isFinite(report.risk.score) ? report.risk : report.risk.risk);
  if (risk && Number.isFinite(risk.score)) {
    facts.append(el('li', 'fact', `Risk: ${String(risk.tier ?? '').replace(/-/g, ' ')} (score ${risk.score.toFixed(2)})`));
  }
  const a = report.authorship;
  if (a && a.verdict) {
    const extra = [a.basis && a.basis !== 'none' ? `from ${a.basis}` : '', Array.isArray(a.agents) ? a.agents.join(', ') : ''].filter(Boolean).join(' · ');
    facts.append(el('li', 'fact', `AI authorship: ${String(a.verdict).replace(/-/g, ' ')}${extra ? ` (${extra})` : ''}`));
  }
  const crit = Array.isArray(report.critical_lines) ? report.critical_lines : Array.isArray(report.risk?.critical_lines) ? report.risk.critical_lines : [];
  const list = $('critical');
  list.replaceChildren();
  for (const c of crit.slice(0, 50)) {
    if (!c || typeof c.path !== 'string') continue;
    const li = el('li', 'critical');
    li.append(el('code', 'where', `${c.path}:${c.line}`), document.createTextNode(' '),
      el('span', 'why', Array.isArray(c.reasons) ? c.reasons.join('; ') : ''));
    list.append(li);
  }
  $('critical-head').hidden = list.childElementCount === 0;
}

function render(report, ms, source) {
  renderFacts(report);
  counts.replaceChildren();
  list.replaceChildren();
  const sc = report.summary.findings;
  for (const s of SEVERITIES) {
    const li = el('li', `badge sev-${s}`);
    li.dataset.severity = s;
    li.append(el('span', 'n', sc[s] ?? 0), document.createTextNode(` ${s}`));
    counts.append(li);
  }
  for (const f of report.findings) {
    const li = el('li', `finding sev-${f.severity}`);
    li.dataset.rule = f.rule_id;
    const head = el('div', 'head');
    head.append(el('span', 'badge', f.severity), el('code', 'where', `${f.path}:${f.line}${f.end_line > f.line ? `-${f.end_line}` : ''}${f.side === 'old' ? ' (deleted)' : ''}`), el('span', 'msg', f.message));
    li.append(head, el('p', 'why', f.explanation));
    if (f.evidence) li.append(el('pre', 'evidence', f.evidence));
    li.append(el('div', 'meta', `${f.rule_id} · ${f.category} · ${f.confidence} confidence`));
    list.append(li);
  }
  const s = report.summary;
  status.textContent = `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'} (+${s.added} −${s.deleted})${source ? ` from ${source}` : ''}, analysed in ${ms.toFixed(0)} ms.`
    + (report.diagnostics?.length ? ` ${report.diagnostics.length} input problem(s) skipped.` : '');
}

async function run(data, source) {
  await engine;
  if (!ready) return;
  const opts = { min_severity: minSeverity.value };
  status.textContent = 'Analysing…';
  const r = await analyzeInWorker(data, opts);
  if (r.ok) {
    render(r.report, r.ms, source);
    last = { data, opts };
    $('save').hidden = false;
  } else {
    last = null;
    $('save').hidden = true;
    counts.replaceChildren();
    list.replaceChildren();
    $('facts').replaceChildren();
    $('critical').replaceChildren();
    status.textContent = `Not analysed: ${r.error}`;
  }
}

async function runFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  // Show text when it is UTF-8; analyse the bytes either way.
  try {
    input.value = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    input.value = '';
  }
  await run(bytes, file.name);
}

$('analyze').addEventListener('click', () => run(input.value, 'the text box'));
input.addEventListener('paste', () => setTimeout(() => run(input.value, 'the clipboard'), 0));
minSeverity.addEventListener('change', () => input.value && run(input.value));
$('file').addEventListener('change', (e) => {
  const f = e.target.files && e.target.files[0];
  if (f) runFile(f);
});
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
  if (f) runFile(f);
  else if (e.dataTransfer) {
    const t = e.dataTransfer.getData('text/plain');
    if (t) {
      input.value = t;
      run(t, 'the drop');
    }
  }
});
