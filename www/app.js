// The offline page: the same wasm engine as the extension, fed from a textarea,
// a file picker or a drop. Diff text is only ever inserted with textContent.
import init, { analyze, analyzeBytes, version } from './pkg/blastradius.js';

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

let ready = false;
const engine = init().then(() => {
  ready = true;
  $('engine').textContent = `engine ${version()}`;
  status.textContent = 'Ready.';
}).catch((e) => {
  status.textContent = `Could not load the engine: ${e}`;
});

function render(report, ms, source) {
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
  const t0 = performance.now();
  try {
    const report = typeof data === 'string' ? analyze(data, opts) : analyzeBytes(data, opts);
    render(report, performance.now() - t0, source);
  } catch (e) {
    counts.replaceChildren();
    list.replaceChildren();
    status.textContent = `Not analysed: ${e}`;
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
