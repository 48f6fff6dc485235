// Renders a pull request's "Files changed" tab the way Gitea and Forgejo mark
// it up (go-gitea templates/repo/diff/box.tmpl, section_unified.tmpl,
// section_split.tmpl), from a unified diff: `.diff-file-box[data-new-filename]`,
// rows `tr[data-line-type]` with `td.lines-num-old` / `td.lines-num-new
// [data-line-num]` and `td.lines-code` (split: `lines-code-old` /
// `lines-code-new`). Served as https://codeberg.org/… and https://gitea.com/…
// in browser tests.
import { createHash } from 'node:crypto';
import { parseDiff, sideBySide } from './github-fixture.mjs';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const nameHash = (p) => createHash('sha1').update(p, 'utf8').digest('hex');

export const GITEA_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'";

const TYPE = { add: 'add', del: 'del', ctx: 'same' };
const MARK = { add: '+', del: '-', ctx: ' ' };

function num(side, no, hash) {
  const L = side === 'old' ? 'L' : 'R';
  return `<td class="lines-num lines-num-${side}" data-line-num="${no ?? ''}"><span rel="${no != null ? `diff-${hash}${L}${no}` : ''}"></span></td>`;
}

function unifiedRows(f, hash) {
  const rows = [];
  for (const h of f.hunks) {
    rows.push(`<tr class="tag-code nl-0 ol-0" data-line-type="tag"><td colspan="2" class="lines-num"></td><td class="lines-escape"></td><td class="lines-type-marker"><span class="tw-font-mono" data-type-marker=""></span></td><td class="chroma lines-code blob-hunk"><code class="code-inner">${esc(h.header)}</code></td></tr>`);
    h.lines.forEach((l, k) => {
      rows.push(`<tr class="${TYPE[l.kind]}-code nl-${k} ol-${k}" data-line-type="${TYPE[l.kind]}">${num('old', l.old, hash)}${num('new', l.new, hash)}<td class="lines-escape"></td><td class="lines-type-marker"><span class="tw-font-mono" data-type-marker="${MARK[l.kind]}"></span></td><td class="chroma lines-code${l.new == null ? ' lines-code-old' : ''}"><code class="code-inner">${esc(l.text)}</code></td></tr>`);
    });
  }
  return rows.join('');
}

function splitRows(f, hash) {
  const rows = [];
  const half = (side, l) => `${num(side, l ? (side === 'old' ? l.old : l.new) : null, hash)}<td class="lines-escape lines-escape-${side}"></td><td class="lines-type-marker lines-type-marker-${side}">${l ? `<span class="tw-font-mono" data-type-marker="${MARK[l.kind]}"></span>` : ''}</td><td class="lines-code lines-code-${side}"><code class="code-inner">${l ? esc(l.text) : ''}</code></td>`;
  for (const h of f.hunks) {
    rows.push(`<tr class="tag-code" data-line-type="tag"><td class="lines-num lines-num-old"></td><td class="lines-escape lines-escape-old"></td><td colspan="6" class="lines-code lines-code-old"><code class="code-inner">${esc(h.header)}</code></td></tr>`);
    for (const [d, a] of sideBySide(h.lines)) {
      const type = d && d === a ? 'same' : d ? 'del' : 'add';
      rows.push(`<tr class="${type}-code" data-line-type="${type}">${half('old', d)}${half('new', a)}</tr>`);
    }
  }
  return rows.join('');
}

const STYLE = `
:root { --color-text:#181c21; --color-text-light-2:#7b8390; --color-body:#ffffff; --color-box-body:#ffffff; --color-box-header:#f1f3f5; --color-secondary:#d0d7de;
  --color-red:#db2828; --color-orange:#f2711c; --color-yellow:#b59c00; --color-blue:#2185d0; --color-purple:#a333c8; --color-error-bg:#ffe8e8; --color-warning-bg:#fff7e0; --color-info-bg:#e6f1fb;
  --color-diff-added-row-bg:#e6ffed; --color-diff-removed-row-bg:#ffeef0;
  --fonts-regular: -apple-system, "Segoe UI", system-ui, Roboto, sans-serif; --fonts-monospace: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
html[data-theme="gitea-dark"] { --color-text:#dbe0ea; --color-text-light-2:#a6aab5; --color-body:#1c1f25; --color-box-body:#22252c; --color-box-header:#2a2e36; --color-secondary:#3b414a;
  --color-red:#cc4848; --color-orange:#cc580c; --color-yellow:#cc9903; --color-blue:#3a8ac6; --color-purple:#b259d0; --color-error-bg:#3c1f1f; --color-warning-bg:#3b3020; --color-info-bg:#1f2c3d;
  --color-diff-added-row-bg:#1e3a26; --color-diff-removed-row-bg:#3c2426; }
body { margin:0; font: 14px/1.5 var(--fonts-regular); color: var(--color-text); background: var(--color-body); }
.page-content { max-width: 1180px; margin: 0 auto; padding: 16px; }
h1 { font-size: 20px; margin: 0 0 12px; }
.diff-file-box { margin-bottom: 16px; border: 1px solid var(--color-secondary); border-radius: 4px; background: var(--color-box-body); }
.diff-file-header { margin: 0; padding: 8px 12px; font-size: 14px; background: var(--color-box-header); border-bottom: 1px solid var(--color-secondary); }
table.chroma { width: 100%; border-collapse: collapse; table-layout: fixed; font: 12px/20px var(--fonts-monospace); }
td.lines-num { width: 50px; text-align: right; padding: 0 8px; color: var(--color-text-light-2); }
td.lines-num::before { content: attr(data-line-num); }
td.lines-escape { width: 10px; } td.lines-type-marker { width: 10px; }
td.lines-type-marker span::before { content: attr(data-type-marker); }
td.lines-code { padding: 0 8px; white-space: pre-wrap; }
tr.add-code td { background: var(--color-diff-added-row-bg); } tr.del-code td { background: var(--color-diff-removed-row-bg); }
.code-diff-split tr.add-code td.lines-code-old, .code-diff-split tr.add-code td.lines-num-old { background: transparent; }
.code-diff-split tr.del-code td.lines-code-new:empty, .code-diff-split tr.del-code td.lines-num-new[data-line-num=""] { background: transparent; }
tr.tag-code td { color: var(--color-text-light-2); background: var(--color-box-header); }
`;

/** The files tab of pull request `number`: `split` for the split view, `dark` for Gitea's dark theme. */
export function renderPull({ owner, repo, number, title, diff, split = false, dark = false }) {
  const files = parseDiff(diff);
  const boxes = files.map((f) => {
    const hash = nameHash(f.path);
    const cols = split ? '<colgroup><col width="50"><col width="10"><col width="10"><col><col width="50"><col width="10"><col width="10"><col></colgroup>'
      : '<colgroup><col width="50"><col width="50"><col width="10"><col width="10"><col></colgroup>';
    return `
<div class="diff-file-box diff-box file-content tab-size-4 items" id="diff-${hash}" data-old-filename="${esc(f.oldPath ?? f.path)}" data-new-filename="${esc(f.path)}">
  <h4 class="diff-file-header sticky-2nd-row ui top attached header"><div class="diff-file-name"><span class="file tw-font-mono">${esc(f.path)}</span></div></h4>
  <div class="diff-file-body ui attached unstackable table segment">
    <div class="file-body file-code code-diff ${split ? 'code-diff-split' : 'code-diff-unified'}">
      <table class="chroma">${cols}<tbody>${split ? splitRows(f, hash) : unifiedRows(f, hash)}</tbody></table>
    </div>
  </div>
</div>`;
  }).join('');
  return `<!doctype html>
<html lang="en-US" data-theme="${dark ? 'gitea-dark' : 'gitea-light'}">
<head><meta charset="utf-8"><title>${esc(title)} - ${esc(owner)}/${esc(repo)} - Codeberg.org</title><style>${STYLE}</style></head>
<body>
<div class="page-content repository view issue pull files diff">
  <div class="issue-title-header"><h1 class="issue-title"><span id="issue-title">${esc(title)}</span> <span class="index">#${Number(number)}</span></h1></div>
  <div id="diff-container"><div id="diff-file-boxes" class="sixteen wide column">${boxes}</div></div>
</div>
</body></html>`;
}
