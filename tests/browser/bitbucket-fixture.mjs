// Renders a Bitbucket Cloud pull request's diff the way the extension's
// Bitbucket adapter expects Bitbucket's React diff to be marked up (the
// attributes the Sourcegraph browser extension's bitbucket-cloud code host
// reads; Bitbucket's generated class names are left out): per file a wrapper
// holding `[data-qa="bk-file__header"]` (with `[data-qa="bk-filepath"]`; a
// rename as `dir/{old <arrow> new}/rest`) and `[data-qa="bk-file__content"]`;
// rows `.line-wrapper` with line links `a.line-number-permalink
// [aria-label="From line N" | "To line N"]` and `.code-component > .line-type
// + .code-diff`. The side-by-side view has one `.line-wrapper` per side. The
// Atlassian Design System's tokens, light or dark. Served as
// https://bitbucket.org/… in browser tests.
import { parseDiff, sideBySide } from './github-fixture.mjs';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

export const BITBUCKET_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'";

const MARK = { add: '+', del: '-', ctx: '' };
const KIND = { add: 'addition', del: 'deletion', ctx: 'common' };

const link = (label, no) => (no == null ? '<span class="line-number-permalink empty"></span>'
  : `<a class="line-number-permalink" href="#L${no}" aria-label="${label} line ${no}">${no}</a>`);
const codeOf = (l) => `<div class="code-component"><span class="line-type">${MARK[l.kind]}</span><pre class="code-diff">${esc(l.text)}</pre></div>`;

function unifiedRows(f, id) {
  const rows = [];
  for (const h of f.hunks) {
    rows.push(`<div class="hunk-header">${esc(h.header)}</div>`);
    h.lines.forEach((l, k) => {
      rows.push(`<div class="line-wrapper ${KIND[l.kind]}" id="${id}-line-${k}"><div class="line-numbers">${link('From', l.old)}${link('To', l.new)}</div>${codeOf(l)}</div>`);
    });
  }
  return rows.join('');
}

function sideRows(f, id) {
  const rows = [];
  const half = (side, l, k) => (l
    ? `<div class="line-wrapper ${KIND[l.kind]}" id="${id}-${side}line-${k}"><div class="line-numbers">${link(side === 'old' ? 'From' : 'To', side === 'old' ? l.old : l.new)}</div>${codeOf(l)}</div>`
    : `<div class="line-wrapper empty" id="${id}-${side}line-${k}"><div class="line-numbers"></div><div class="code-component"></div></div>`);
  for (const h of f.hunks) {
    rows.push(`<div class="hunk-header">${esc(h.header)}</div>`);
    sideBySide(h.lines).forEach(([d, a], k) => {
      rows.push(`<div class="side-by-side-row">${half('old', d, k)}${half('new', a, k)}</div>`);
    });
  }
  return rows.join('');
}

/** The file header's path: `dir/{old <arrow> new}/rest` for a rename. */
function pathHtml(f) {
  if (f.oldPath == null || f.oldPath === f.path) return esc(f.path);
  const a = f.oldPath.split('/');
  const b = f.path.split('/');
  let pre = 0;
  while (pre < a.length - 1 && pre < b.length - 1 && a[pre] === b[pre]) pre++;
  const arrow = '<span role="img" aria-label="arrow"><svg width="12" height="12" viewBox="0 0 12 12"><path d="M1 6h9M7 3l3 3-3 3" stroke="currentColor" fill="none"/></svg></span>';
  const head = pre ? `${esc(a.slice(0, pre).join('/'))}/` : '';
  return `${head}{${esc(a.slice(pre).join('/'))} ${arrow} ${esc(b.slice(pre).join('/'))}}`;
}

const STYLE = `
:root { --ds-text:#172b4d; --ds-text-subtlest:#626f86; --ds-surface:#ffffff; --ds-surface-overlay:#ffffff; --ds-background-neutral:#f1f2f4; --ds-border:#dcdfe4;
  --ds-text-danger:#ae2e24; --ds-background-danger:#ffeceb; --ds-icon-warning:#e56910; --ds-text-warning:#a54800; --ds-background-warning:#fff7d6;
  --ds-text-information:#0055cc; --ds-background-information:#e9f2ff; --ds-text-discovery:#5e4db2; --ds-background-discovery:#f3f0ff;
  --ds-background-success:#dcfff1; --ds-font-family-body: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; --ds-font-family-code: ui-monospace, Menlo, monospace; }
html[data-color-mode="dark"] { --ds-text:#b6c2cf; --ds-text-subtlest:#8c9bab; --ds-surface:#1d2125; --ds-surface-overlay:#282e33; --ds-background-neutral:#a1bdd914; --ds-border:#a6c5e229;
  --ds-text-danger:#fd9891; --ds-background-danger:#42221f; --ds-icon-warning:#f38a3f; --ds-text-warning:#fec195; --ds-background-warning:#533f04;
  --ds-text-information:#85b8ff; --ds-background-information:#1c2b41; --ds-text-discovery:#b8acf6; --ds-background-discovery:#2b273f; --ds-background-success:#1c3329; }
body { margin:0; font: 14px/20px var(--ds-font-family-body); color: var(--ds-text); background: var(--ds-surface); }
main { max-width: 1180px; margin: 0 auto; padding: 16px; }
h1 { font-size: 24px; margin: 0 0 16px; }
.file { margin-bottom: 16px; border: 1px solid var(--ds-border); border-radius: 3px; }
[data-qa="bk-file__header"] { padding: 8px 12px; background: var(--ds-background-neutral); border-bottom: 1px solid var(--ds-border); display: flex; gap: 8px; }
[data-qa="bk-file__content"] { font: 12px/20px var(--ds-font-family-code); }
.hunk-header { color: var(--ds-text-subtlest); background: var(--ds-background-information); padding: 0 8px; }
.line-wrapper { display: flex; }
.line-numbers { display: flex; flex: none; }
.line-number-permalink { display: inline-block; width: 40px; padding: 0 6px; text-align: right; color: var(--ds-text-subtlest); text-decoration: none; }
.code-component { display: flex; flex: 1; min-width: 0; padding-left: 8px; }
.line-type { width: 12px; flex: none; }
.code-diff { margin: 0; font: inherit; white-space: pre-wrap; flex: 1; }
.line-wrapper.addition { background: var(--ds-background-success); } .line-wrapper.deletion { background: var(--ds-background-danger); }
.side-by-side-row { display: flex; } .side-by-side-row > .line-wrapper { flex: 1 1 50%; min-width: 0; }
`;

/**
 * Pull request `number`'s diff, or a commit's (`commit`, its sha: the same
 * file components under the commit's header); `sideBySide` for that view,
 * `dark` for the dark theme.
 */
export function renderPullRequest({ workspace, repo, number, commit = null, title, diff, sideBySide: split = false, dark = false }) {
  const files = parseDiff(diff);
  const body = files.map((f, i) => {
    const id = `chg-${i}`;
    return `
<div class="file" id="${id}" data-test-path="${esc(f.path)}">
  <div data-qa="bk-file__header"><span data-qa="bk-filepath">${pathHtml(f)}</span><span class="lozenge">${f.oldPath == null ? 'added' : f.oldPath !== f.path ? 'renamed' : 'modified'}</span></div>
  <div data-qa="bk-file__content"><div class="${split ? 'side-by-side' : 'unified'}">${split ? sideRows(f, id) : unifiedRows(f, id)}</div></div>
</div>`;
  }).join('');
  return `<!doctype html>
<html lang="en" data-color-mode="${dark ? 'dark' : 'light'}" data-theme="${dark ? 'dark:dark light:light' : 'light:light dark:dark'}">
<head><meta charset="utf-8"><title>${esc(workspace)} / ${esc(repo)} / ${commit ? `Commit ${esc(commit.slice(0, 12))}` : `Pull Request #${Number(number)}: ${esc(title)}`} — Bitbucket</title><style>${STYLE}</style></head>
<body>
<main data-qa="${commit ? 'commit-diff' : 'pr-diff'}">
  ${commit ? `<h1 data-qa="commit-message">${esc(title)}</h1><p>Commit <code>${esc(commit)}</code></p>` : `<h1 data-qa="pr-header-title">${esc(title)}</h1>`}
  <div data-qa="pr-diff-files">${body}</div>
</main>
</body></html>`;
}
