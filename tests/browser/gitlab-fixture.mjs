// Renders a merge request's "Changes" tab the way gitlab.com marks it up,
// from a unified diff: Rapid Diffs (gitlabhq app/components/rapid_diffs:
// `<diff-file data-file-data>`, rows `tr.rd-hunk-lines`, number cells
// `td.rd-line-number[data-position] a.rd-line-link[data-line-number]`, code
// `td.rd-line-content`), inline or parallel, or the older Vue diff grid
// (`.diff-file[data-path]`, rows `.line_holder`, side wrappers with
// `data-interop-*` line attributes, code `.line_content`). Served as
// https://gitlab.com/… in browser tests.
import { createHash } from 'node:crypto';
import { parseDiff, sideBySide } from './github-fixture.mjs';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fileHash = (p) => createHash('sha1').update(p, 'utf8').digest('hex');

// GitLab's strict policy: no 'wasm-unsafe-eval', so the page could not run
// the engine even if a content script tried.
export const GITLAB_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'";

const change = (l) => (l.kind === 'add' ? 'added' : l.kind === 'del' ? 'removed' : null);

function rapidNumber(hash, l, position, border) {
  const no = position === 'old' ? l?.old : l?.new;
  const ch = l ? change(l) : null;
  const attrs = `class="rd-line-number${border ? ' rd-line-number-border-right' : ''}"${ch ? ` data-change="${ch}"` : ''} data-position="${position}"`;
  if (!l || no == null) return `<td ${attrs}></td>`;
  const label = ch === 'removed' ? `Removed line ${no}` : ch === 'added' ? `Added line ${no}` : `Line ${no}`;
  return `<td ${attrs}><a class="rd-line-link" data-line-number="${no}" href="#${hash}_${l.old ?? ''}_${l.new ?? ''}" aria-label="${label}"></a></td>`;
}

function rapidContent(l, position) {
  const ch = l ? change(l) : null;
  const pos = position ? ` data-position="${position}"` : '';
  return `<td class="rd-line-content"${ch ? ` data-change="${ch}"` : ''}${pos} tabindex="-1">${l ? `<pre class="rd-line-text">${esc(l.text)}</pre>` : ''}</td>`;
}

function rapidRows(f, hash, parallel) {
  const rows = [];
  for (const h of f.hunks) {
    rows.push(parallel
      ? `<tr class="rd-hunk-header rd-hunk-header-parallel"><td class="rd-hunk-header-buttons"></td><td class="rd-hunk-header-content" data-position="old">${esc(h.header)}</td><td class="rd-hunk-header-buttons"></td><td class="rd-hunk-header-content" data-position="new">${esc(h.header)}</td></tr>`
      : `<tr class="rd-hunk-header rd-hunk-header-inline"><td class="rd-hunk-header-buttons" colspan="2"></td><td class="rd-hunk-header-content">${esc(h.header)}</td></tr>`);
    if (!parallel) {
      for (const l of h.lines) {
        rows.push(`<tr class="rd-hunk-lines rd-hunk-lines-inline">${rapidNumber(hash, l, 'old')}${rapidNumber(hash, l, 'new', true)}${rapidContent(l, null)}</tr>`);
      }
      continue;
    }
    for (const [d, a] of sideBySide(h.lines)) {
      rows.push(`<tr class="rd-hunk-lines rd-hunk-lines-parallel">${rapidNumber(hash, d, 'old')}${rapidContent(d, 'old')}${rapidNumber(hash, a, 'new')}${rapidContent(a, 'new')}</tr>`);
    }
  }
  return rows.join('');
}

function rapidFile(f, parallel) {
  const hash = fileHash(f.path);
  const data = JSON.stringify({ viewer: parallel ? 'text_parallel' : 'text_inline', diff_lines_path: `/diff_lines/${hash}`, old_path: f.oldPath ?? f.path, new_path: f.path });
  return `
<diff-file class="rd-diff-file-component" id="${hash}" data-testid="rd-diff-file" data-file-data="${esc(data)}">
  <article class="rd-diff-file" aria-labelledby="${hash}-heading">
    <div class="rd-diff-file-header"><h2 class="rd-diff-file-title" id="${hash}-heading"><strong>${esc(f.path)}</strong></h2></div>
    <details class="rd-diff-file-details" open data-file-body=""><summary></summary>
      <div class="rd-diff-file-body">
        <table class="rd-text-view-root${parallel ? ' rd-text-view-parallel' : ''}">${parallel ? '<colgroup><col style="width:50px"><col><col style="width:50px"><col></colgroup>' : '<colgroup><col style="width:50px"><col style="width:50px"><col></colgroup>'}<tbody>${rapidRows(f, hash, parallel)}</tbody></table>
      </div>
    </details>
  </article>
  <diff-file-mounted></diff-file-mounted>
</diff-file>`;
}

function legacyFile(f) {
  const hash = fileHash(f.path);
  const rows = [];
  for (const h of f.hunks) {
    rows.push(`<div class="diff-grid-row diff-tr line_holder match"><div class="diff-grid-left left-side"><div class="diff-td diff-line-num"></div><div class="diff-td diff-line-num"></div><div class="diff-td line_content match">${esc(h.header)}</div></div></div>`);
    for (const l of h.lines) {
      const type = l.kind === 'del' ? 'old' : 'new';
      const cls = l.kind === 'add' ? ' new' : l.kind === 'del' ? ' old' : '';
      const old = l.old != null ? ` data-interop-old-line="${l.old}"` : '';
      const nw = l.new != null ? ` data-interop-new-line="${l.new}"` : '';
      const num = (no, side) => `<div class="diff-td diff-line-num${cls}${cls ? ` ${side}_line` : ''}">${no != null ? `<a data-linenumber="${no}" href="#${hash}_${l.old ?? ''}_${l.new ?? ''}" aria-label="${no}"></a>` : ''}</div>`;
      rows.push(`<div class="diff-grid-row diff-tr line_holder"><div id="${hash}_${l.old ?? ''}_${l.new ?? ''}" data-testid="left-side" data-interop-type="${type}" data-interop-line="${type === 'old' ? l.old : l.new}"${nw}${old} class="diff-grid-left left-side">${num(l.old, 'old')}${num(l.new, 'new')}<div data-testid="left-content" class="diff-td line_content left-side${cls}"><span class="line">${esc(l.text)}</span></div></div></div>`);
    }
  }
  return `
<div class="diff-file file-holder" id="${hash}" data-path="${esc(f.path)}">
  <div data-testid="file-title-container" class="js-file-title file-title"><div class="file-header-content"><a class="file-title-name" href="#${hash}">${esc(f.path)}</a></div></div>
  <div class="diff-content diff-wrap-lines"><div class="diff-viewer"><div class="diff-grid diff-table code">${rows.join('')}</div></div></div>
</div>`;
}

const STYLE = `
:root { --gl-text-color-default:#3a383f; --gl-text-color-subtle:#626168; --gl-background-color-default:#ffffff; --gl-background-color-subtle:#fbfafd;
  --gl-border-color-default:#dcdcde; --gl-border-color-subtle:#ececef; --gl-feedback-danger-text-color:#ae1800; --gl-feedback-danger-background-color:#fcf1ef;
  --gl-feedback-warning-text-color:#8f4700; --gl-feedback-warning-background-color:#fdf1dd; --gl-feedback-info-text-color:#0b5cad; --gl-feedback-info-background-color:#e9f3fc;
  --default-regular-font: "GitLab Sans", -apple-system, "Segoe UI", Roboto, sans-serif; --default-mono-font: "GitLab Mono", Menlo, Consolas, monospace; }
html.gl-dark { --gl-text-color-default:#ececef; --gl-text-color-subtle:#bfbfc3; --gl-background-color-default:#18171d; --gl-background-color-subtle:#232128;
  --gl-border-color-default:#4c4b51; --gl-border-color-subtle:#333238; --gl-feedback-danger-text-color:#fdd4cd; --gl-feedback-danger-background-color:#660e00;
  --gl-feedback-warning-text-color:#f5d9a8; --gl-feedback-warning-background-color:#5c2900; --gl-feedback-info-text-color:#cbe2f9; --gl-feedback-info-background-color:#064787; }
body { margin:0; font: 14px/1.5 var(--default-regular-font); color: var(--gl-text-color-default); background: var(--gl-background-color-default); }
.layout-page { max-width: 1180px; margin: 0 auto; padding: 16px; }
h1 { font-size: 20px; margin: 0 0 12px; }
diff-file { display: block; margin-bottom: 16px; border: 1px solid var(--gl-border-color-default); border-radius: 4px; }
.rd-diff-file-header { padding: 8px 12px; border-bottom: 1px solid var(--gl-border-color-default); background: var(--gl-background-color-subtle); }
.rd-diff-file-title { font-size: 14px; margin: 0; }
details > summary { display: none; }
table.rd-text-view-root { width: 100%; border-collapse: collapse; table-layout: fixed; font: 12px/20px var(--default-mono-font); }
td.rd-line-number { width: 50px; text-align: right; padding: 0 8px; color: var(--gl-text-color-subtle); vertical-align: top; }
td.rd-line-number a::before { content: attr(data-line-number); color: inherit; }
td.rd-line-number a { text-decoration: none; color: inherit; }
td.rd-line-content { padding: 0 8px; }
td.rd-line-content pre { margin: 0; font: inherit; white-space: pre-wrap; }
[data-change="added"] { background: #ecfdf0; } [data-change="removed"] { background: #fbe9eb; }
html.gl-dark [data-change="added"] { background: #0b3c1d; } html.gl-dark [data-change="removed"] { background: #4e1a19; }
.rd-hunk-header td { background: var(--gl-background-color-subtle); color: var(--gl-text-color-subtle); padding: 0 8px; }
.diff-file { margin-bottom: 16px; border: 1px solid var(--gl-border-color-default); border-radius: 4px; }
.file-title { padding: 8px 12px; border-bottom: 1px solid var(--gl-border-color-default); background: var(--gl-background-color-subtle); }
.diff-grid { font: 12px/20px var(--default-mono-font); }
.diff-grid-left { display: grid; grid-template-columns: 50px 50px 1fr; }
.diff-line-num { text-align: right; padding: 0 8px; color: var(--gl-text-color-subtle); }
.diff-line-num a::before { content: attr(data-linenumber); }
.line_content { padding: 0 8px; white-space: pre-wrap; }
.line_content.new { background: #ecfdf0; } .line_content.old { background: #fbe9eb; }
`;

/**
 * The Changes tab of merge request `iid` of `project`: `view` is
 * 'rapid-inline', 'rapid-parallel' or 'legacy'; `theme` 'light' or 'dark'.
 */
export function renderMergeRequest({ project, iid, title, diff, view = 'rapid-inline', theme = 'light' }) {
  const files = parseDiff(diff);
  const body = view === 'legacy'
    ? `<div class="diffs tab-pane active" id="js-diffs-app">${files.map(legacyFile).join('')}</div>`
    : `<div class="rd-app" data-rapid-diffs=""><div class="rd-app-body"><div class="rd-app-content">${files.map((f) => rapidFile(f, view === 'rapid-parallel')).join('')}</div></div></div>`;
  return `<!doctype html>
<html lang="en" class="${theme === 'dark' ? 'gl-dark' : 'gl-light'}">
<head><meta charset="utf-8"><title>${esc(title)} (!${Number(iid)}) · Merge requests · ${esc(project)} · GitLab</title><style>${STYLE}</style></head>
<body data-page="projects:merge_requests:diffs" data-project-full-path="${esc(project)}">
<div class="layout-page"><main id="content-body">
<div class="merge-request"><h1 class="title" data-testid="title-content">${esc(title)}</h1>${body}</div>
</main></div>
</body></html>`;
}
