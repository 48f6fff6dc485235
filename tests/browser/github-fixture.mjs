// Renders a pull request's "Files changed" page the way GitHub's new React
// view marks it up (shared/docs/hosts.md §1b), from a unified diff. Used as the
// page the extension runs on in browser tests, served as https://github.com/…
import { createHash } from 'node:crypto';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
export const pathHash = (p) => createHash('sha256').update(p, 'utf8').digest('hex');

function unquote(p) {
  if (!p.startsWith('"')) return p;
  const body = p.slice(1, p.lastIndexOf('"'));
  const bytes = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[++i];
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(({ n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 })[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
const stripPrefix = (p) => (p === '/dev/null' ? null : p.replace(/^[ab]\//, ''));

/** A minimal unified-diff reader: [{path, oldPath, hunks: [{header, lines: [{kind, old, new, text}]}]}]. */
export function parseDiff(text) {
  const files = [];
  let file = null;
  let hunk = null;
  let oldNo = 0;
  let newNo = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) {
      file = { path: null, oldPath: null, hunks: [] };
      files.push(file);
      hunk = null;
    } else if (file && !hunk && line.startsWith('--- ')) {
      file.oldPath = stripPrefix(unquote(line.slice(4).replace(/\t.*$/, '')));
    } else if (file && !hunk && line.startsWith('+++ ')) {
      file.path = stripPrefix(unquote(line.slice(4).replace(/\t.*$/, ''))) ?? file.oldPath;
    } else if (file && line.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
      if (!m) continue;
      oldNo = Number(m[1]);
      newNo = Number(m[2]);
      hunk = { header: line, lines: [] };
      file.hunks.push(hunk);
    } else if (hunk && (line.startsWith('+') || line.startsWith('-') || line.startsWith(' '))) {
      const kind = line[0] === '+' ? 'add' : line[0] === '-' ? 'del' : 'ctx';
      hunk.lines.push({ kind, old: kind === 'add' ? null : oldNo, new: kind === 'del' ? null : newNo, text: line.slice(1) });
      if (kind !== 'add') oldNo++;
      if (kind !== 'del') newNo++;
    } else if (line.startsWith('diff ') || line.startsWith('From ')) {
      hunk = null;
    }
  }
  return files.filter((f) => f.path);
}

/**
 * A hunk's lines as side-by-side rows `[old, new]`: a context line on both
 * sides (the same object twice); each run of deletions paired row by row
 * with the additions that follow it (null where one side is shorter).
 */
export function sideBySide(lines) {
  const rows = [];
  for (let i = 0; i < lines.length;) {
    if (lines[i].kind === 'ctx') {
      rows.push([lines[i], lines[i]]);
      i++;
      continue;
    }
    const dels = [];
    const adds = [];
    while (i < lines.length && lines[i].kind === 'del') dels.push(lines[i++]);
    while (i < lines.length && lines[i].kind === 'add') adds.push(lines[i++]);
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) rows.push([dels[k] ?? null, adds[k] ?? null]);
  }
  return rows;
}

// Split view: 4 columns (left number, left code, right number, right code);
// runs of deletions are paired row by row with the additions that follow.
function splitRows(f, anchor) {
  const rows = [];
  let n = 0;
  const num = (side, no, kind) => (no != null
    ? `<td class="new-diff-line-number${kind === 'ctx' ? ' diff-line-number-neutral' : kind === 'del' ? ' deletion-num' : ' addition-num'}" data-diff-side="${side}" data-line-number="${no}" role="gridcell" tabindex="-1"><code>${no}</code></td>`
    : `<td class="new-diff-line-number empty-diff-line" data-diff-side="${side}" role="gridcell" tabindex="-1"></td>`);
  const code = (side, l) => {
    if (!l) return `<td class="diff-text-cell ${side}-side-diff-cell empty-diff-line" role="gridcell" tabindex="-1"></td>`;
    const no = side === 'left' ? l.old : l.new;
    const cls = l.kind === 'add' ? ' addition' : l.kind === 'del' ? ' deletion' : '';
    const marker = l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ';
    return `<td class="diff-text-cell ${side}-side-diff-cell focusable-grid-cell" data-diff-side="${side}" data-line-anchor="${anchor}${side === 'left' ? 'L' : 'R'}${no}" data-grid-cell-id="${anchor}-${++n}" role="gridcell" tabindex="-1"><code class="diff-text syntax-highlighted-line${cls}"><span class="diff-text-marker">${marker}</span><div class="diff-text-inner">${esc(l.text)}</div></code></td>`;
  };
  for (const h of f.hunks) {
    rows.push(`<tr class="diff-line-row"><td class="diff-hunk-cell hunk" colspan="4"><div class="hunk-text">${esc(h.header)}</div></td></tr>`);
    for (const [d, a] of sideBySide(h.lines)) {
      if (d && d === a) {
        rows.push(`<tr class="diff-line-row">${num('left', d.old, 'ctx')}${code('left', d)}${num('right', d.new, 'ctx')}${code('right', d)}</tr>`);
      } else {
        rows.push(`<tr class="diff-line-row">${num('left', d?.old, 'del')}${code('left', d)}${num('right', a?.new, 'add')}${code('right', a)}</tr>`);
      }
    }
  }
  return rows;
}

function renderFile(f, idx, view) {
  const hash = pathHash(f.path);
  const anchor = `diff-${hash}`;
  const rows = view === 'split' ? splitRows(f, anchor) : [];
  if (view !== 'split') {
  let n = 0;
  for (const h of f.hunks) {
    rows.push(`<tr class="diff-line-row"><td class="diff-hunk-cell hunk" colspan="3"><div class="hunk-text">${esc(h.header)}</div></td></tr>`);
    for (const l of h.lines) {
      n++;
      const left = l.old != null
        ? `<td class="new-diff-line-number${l.kind === 'ctx' ? ' diff-line-number-neutral' : ' deletion-num'}" data-diff-side="left" data-line-number="${l.old}" data-grid-cell-id="${anchor}-${n}-1" role="gridcell" tabindex="-1"><code>${l.old}</code></td>`
        : '<td class="new-diff-line-number empty-diff-line" data-diff-side="left" role="gridcell" tabindex="-1"></td>';
      const right = l.new != null
        ? `<td class="new-diff-line-number${l.kind === 'ctx' ? ' diff-line-number-neutral' : ' addition-num'}" data-diff-side="right" data-line-number="${l.new}" data-grid-cell-id="${anchor}-${n}-2" role="gridcell" tabindex="-1"><code>${l.new}</code></td>`
        : '<td class="new-diff-line-number empty-diff-line" data-diff-side="right" role="gridcell" tabindex="-1"></td>';
      const side = l.kind === 'del' ? 'left' : 'right';
      const lineAnchor = l.kind === 'del' ? `${anchor}L${l.old}` : `${anchor}R${l.new}`;
      const cls = l.kind === 'add' ? ' addition' : l.kind === 'del' ? ' deletion' : '';
      const marker = l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ';
      rows.push(`<tr class="diff-line-row">${left}${right}<td class="diff-text-cell ${side}-side-diff-cell focusable-grid-cell" data-diff-side="${side}" data-line-anchor="${lineAnchor}" data-grid-cell-id="${anchor}-${n}-3" role="gridcell" tabindex="-1"><code class="diff-text syntax-highlighted-line${cls}"><span class="diff-text-marker">${marker}</span><div class="diff-text-inner">${esc(l.text)}</div></code></td></tr>`);
    }
  }
  }
  return `
<div id="${anchor}" class="Diff-module__diffTargetable__iML6v Diff-module__diff__G4fSq" role="region" aria-labelledby="heading-${hash.slice(0, 8)}" data-file-index="${idx}">
  <div class="Diff-module__diffHeaderWrapper__UgUyv" data-diff-header-wrapper="true">
    <div class="DiffFileHeader-module__diff-file-header__G8eCc">
      <h3 id="heading-${hash.slice(0, 8)}" class="DiffFileHeader-module__file-name__mWx4g"><a class="Link--primary" href="#${anchor}"><code>\u200e${esc(f.path)}\u200e</code></a></h3>
      <button type="button" class="MarkAsViewedButton-module__button__Xq1">Viewed</button>
    </div>
  </div>
  <div class="border position-relative">
    <table class="DiffLines-module__tableLayoutFixed__YZcIx" role="grid" data-diff-anchor="${anchor}" aria-label="Diff for: ${esc(f.path)}" data-tab-size="8">
      ${view === 'split' ? '<colgroup><col width="48"><col><col width="48"><col></colgroup>' : '<colgroup><col width="48"><col width="48"><col></colgroup>'}
      <tbody>${rows.join('')}</tbody>
    </table>
  </div>
</div>`;
}

const STYLE = `
:root { --bgColor-default:#ffffff; --bgColor-muted:#f6f8fa; --fgColor-default:#1f2328; --fgColor-muted:#59636e; --borderColor-default:#d1d9e0;
  --borderColor-muted:#d1d9e0b3; --fgColor-danger:#d1242f; --fgColor-severe:#bc4c00; --fgColor-attention:#9a6700; --fgColor-accent:#0969da;
  --bgColor-danger-muted:#ffebe9; --bgColor-attention-muted:#fff8c5; --bgColor-accent-muted:#ddf4ff; --fgColor-onEmphasis:#ffffff;
  --diffBlob-additionLine-bgColor:#dafbe1; --diffBlob-additionNum-bgColor:#aceebb; --diffBlob-deletionLine-bgColor:#ffebe9; --diffBlob-deletionNum-bgColor:#ffcecb;
  --diffBlob-hunkLine-bgColor:#ddf4ff; --fontStack-monospace: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  --fontStack-system: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
body { margin:0; font: 14px/1.5 var(--fontStack-system); color: var(--fgColor-default); background: var(--bgColor-default); }
.AppHeader { height: 64px; background: var(--bgColor-muted); border-bottom: 1px solid var(--borderColor-default); display:flex; align-items:center; padding: 0 16px; font-weight:600; }
.gh-header { padding: 16px 24px 0; } .gh-header h1 { font-size: 24px; font-weight: 400; margin: 0 0 8px; }
.tabnav { display:flex; gap: 8px; border-bottom: 1px solid var(--borderColor-default); padding: 0 24px; }
.tabnav a { padding: 8px 12px; color: var(--fgColor-default); text-decoration:none; border-bottom: 2px solid transparent; }
.tabnav a[aria-current="page"] { border-bottom-color: #fd8c73; font-weight: 600; }
#repo-content { padding: 16px 24px 120px; max-width: 1180px; }
[data-testid="progressive-diffs-list"] > div { margin-bottom: 16px; border: 1px solid var(--borderColor-default); border-radius: 6px; overflow: hidden; }
.DiffFileHeader-module__diff-file-header__G8eCc { display:flex; justify-content: space-between; align-items:center; padding: 8px 16px; background: var(--bgColor-muted); border-bottom: 1px solid var(--borderColor-default); }
.DiffFileHeader-module__diff-file-header__G8eCc h3 { margin:0; font-size: 12px; font-weight: 600; } .Link--primary { color: var(--fgColor-default); text-decoration: none; }
table[role="grid"] { width: 100%; table-layout: fixed; border-collapse: collapse; font: 12px/20px var(--fontStack-monospace); }
.new-diff-line-number { text-align: right; padding: 0 8px; color: var(--fgColor-muted); user-select: none; vertical-align: top; }
.addition-num { background: var(--diffBlob-additionNum-bgColor); } .deletion-num { background: var(--diffBlob-deletionNum-bgColor); }
.diff-text-cell { padding: 0 8px 0 22px; white-space: pre-wrap; word-break: break-all; }
.diff-text-cell:has(.addition) { background: var(--diffBlob-additionLine-bgColor); } .diff-text-cell:has(.deletion) { background: var(--diffBlob-deletionLine-bgColor); }
.diff-text { display:flex; } .diff-text-marker { width: 12px; margin-left: -14px; flex: none; } .diff-text-inner { display:inline; }
.diff-hunk-cell { background: var(--diffBlob-hunkLine-bgColor); color: var(--fgColor-muted); padding: 4px 10px; }
.MarkAsViewedButton-module__button__Xq1 { font-size: 12px; border: 1px solid var(--borderColor-default); border-radius: 6px; background: var(--bgColor-default); padding: 2px 8px; }
`;

// The reviewer's status icon after their latest review, as the conversation
// tab's sidebar draws it: an octicon and the words of its tooltip.
const REVIEW_STATES = {
  approved: ['octicon-check color-fg-success', (who) => `${who} approved these changes`],
  changes: ['octicon-file-diff color-fg-danger', (who) => `${who} requested changes`],
  commented: ['octicon-comment color-fg-muted', (who) => `${who} left review comments`],
  pending: ['octicon-dot-fill hx_dot-fill-pending-icon', (who) => `Awaiting requested review from ${who}`],
};

/**
 * One reviewer of the sidebar, `{login, state, form}`: `form` 'tooltip'
 * (GitHub's current markup: a link labelled by a <tool-tip> element, and a
 * re-request button for a reviewer who did not approve), 'unlinked' (the
 * <tool-tip> names the link with `for` only), 'aria' (the older
 * `aria-label` on the icon) or 'bare' (an icon with no words).
 */
function reviewerRow({ login, state, form = 'tooltip' }, i) {
  const [icon, words] = REVIEW_STATES[state];
  const svg = `<svg aria-hidden="true" height="16" viewBox="0 0 16 16" version="1.1" width="16" class="octicon ${icon}"><path d="M2 8h12"></path></svg>`;
  const who = `<span class="d-flex min-width-0 flex-1 js-hovercard-left" data-assignee-name="${esc(login)}" data-hovercard-type="user" data-hovercard-url="/users/${esc(login)}/hovercard">
      <a class="no-underline" href="/${esc(login)}"><img class="avatar mr-1 avatar-user" width="20" height="20" alt="@${esc(login)}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></a>
      <a class="assignee Link--primary css-truncate-target width-fit" href="/${esc(login)}"><span class="css-truncate-target width-fit v-align-middle">${esc(login)}</span></a></span>`;
  let status;
  if (form === 'unlinked') {
    status = `<a class="flex-order-1" href="#pullrequestreview-${i}" id="review-${i}"><span class="reviewers-status-icon text-center">${svg}</span></a>
      <tool-tip for="review-${i}" popover="manual" data-direction="nw" class="sr-only position-absolute" role="tooltip">${esc(words(login))}</tool-tip>`;
  } else if (form === 'tooltip') {
    status = `<a class="flex-order-1" href="#pullrequestreview-${i}" id="review-${i}" aria-labelledby="tooltip-review-${i}"><span class="reviewers-status-icon text-center">${svg}</span></a>
      <tool-tip id="tooltip-review-${i}" for="review-${i}" popover="manual" data-direction="nw" class="sr-only position-absolute" role="tooltip">${esc(words(login))}</tool-tip>`;
    if (state !== 'approved') {
      status += `<button name="re_request_reviewer_id" value="${1000 + i}" id="rerequest-${i}" class="mr-2 btn-link muted-icon" aria-labelledby="tooltip-rerequest-${i}"><span class="reviewers-status-icon"><svg class="octicon octicon-sync" aria-hidden="true"></svg></span></button>
      <tool-tip id="tooltip-rerequest-${i}" for="rerequest-${i}" popover="manual" class="sr-only position-absolute" role="tooltip">Re-request review</tool-tip>`;
    }
  } else if (form === 'aria') {
    status = `<span class="reviewers-status-icon tooltipped tooltipped-nw float-right d-block text-center" aria-label="${esc(words(login))}">${svg}</span>`;
  } else {
    status = `<span class="reviewers-status-icon float-right d-block text-center">${svg}</span>`;
  }
  return `<p class="d-flex">${who}${status}</p>`;
}

/**
 * The conversation tab: the description and the sidebar's reviewers, in
 * `#partial-discussion-sidebar`, or with `sidebar: 'partial'` in the
 * reviewers partial only (`data-url` of the partial GitHub re-renders).
 */
function conversation({ owner, repo, number, title, author, description, reviews, sidebar = 'full' }) {
  return `<div class="Layout Layout--sidebarPosition-end">
<div class="Layout-main"><div class="js-discussion js-socket-channel">
  <div class="TimelineItem js-comment-container"><div class="timeline-comment-group"><div class="timeline-comment">
    <div class="timeline-comment-header"><a class="author Link--primary text-bold" href="/${esc(author)}">${esc(author)}</a> commented</div>
    <task-lists><table class="d-block"><tbody class="d-block"><tr class="d-block"><td class="d-block comment-body markdown-body js-comment-body">${description ? `<p>${esc(description).replace(/\n/g, '<br>')}</p>` : '<p class="color-fg-muted"><em>No description provided.</em></p>'}</td></tr></tbody></table></task-lists>
  </div></div></div>
  <p>${esc(title)}: conversation.</p>
</div></div>
<div class="Layout-sidebar"><div${sidebar === 'partial' ? '' : ' id="partial-discussion-sidebar"'}>
  <div class="discussion-sidebar-item sidebar-assignee js-discussion-sidebar-item position-relative" data-url="/${esc(owner)}/${esc(repo)}/issues/${number}/show_partial?partial=pull_requests%2Fsidebar%2Fshow%2Freviewers">
    <form class="js-issue-sidebar-form" aria-label="Select reviewers" action="/${esc(owner)}/${esc(repo)}/pull/${number}/review-requests" method="post">
      <div class="discussion-sidebar-heading text-bold">Reviewers</div>
      <span class="css-truncate">${reviews.length ? reviews.map(reviewerRow).join('') : 'No reviews'}</span>
    </form>
  </div>
  <div class="discussion-sidebar-item sidebar-assignee js-discussion-sidebar-item">
    <form class="js-issue-sidebar-form" aria-label="Select assignees" action="/${esc(owner)}/${esc(repo)}/issues/${number}/assignees" method="post">
      <div class="discussion-sidebar-heading text-bold">Assignees</div>
      <span class="css-truncate js-issue-assignees"><p><span data-assignee-name="${esc(author)}"><a class="assignee Link--primary" href="/${esc(author)}">${esc(author)}</a></span></p></span>
    </form>
  </div>
</div></div>
</div>`;
}

/**
 * The whole page. `tab` is 'files' or 'conversation'; `description` and
 * `reviews` (see reviewerRow) show on the conversation tab only.
 */
export function renderPage({ owner, repo, number, title, diff, tab = 'files', view = 'unified', author = 'octocat', baseRef = 'main', headRef = 'feature', labels = [], description = '', reviews = [], sidebar = 'full', commit = null }) {
  const files = parseDiff(diff);
  if (commit) return commitPage({ owner, repo, title, author, commit, files, view });
  const base = `/${owner}/${repo}/pull/${number}`;
  const body = tab === 'files'
    ? `<div data-testid="progressive-diffs-list">${files.map((f, i) => renderFile(f, i, view)).join('')}</div>`
    : conversation({ owner, repo, number, title, author, description, reviews, sidebar });
  return `<!DOCTYPE html>
<html lang="en" data-color-mode="light" data-light-theme="light" data-dark-theme="dark">
<head><meta charset="utf-8"><title>${esc(title)} by ${esc(author)} · Pull Request #${number} · ${esc(owner)}/${esc(repo)}</title>
<style>${STYLE}</style><script src="/assets/soft-nav.js" defer></script></head>
<body>
<div class="AppHeader">${esc(owner)} / ${esc(repo)}</div>
<div class="gh-header"><h1>${esc(title)} <span style="color:var(--fgColor-muted)">#${number}</span></h1>
<div class="gh-header-meta"><a class="author Link--secondary text-bold" href="/${esc(author)}">${esc(author)}</a> wants to merge 1 commit into
<span title="${esc(owner)}/${esc(repo)}:${esc(baseRef)}" class="commit-ref css-truncate user-select-contain expandable base-ref"><a class="no-underline" href="/${esc(owner)}/${esc(repo)}/tree/${esc(baseRef)}"><span class="css-truncate-target">${esc(baseRef)}</span></a></span>
from <span title="${esc(owner)}/${esc(repo)}:${esc(headRef)}" class="commit-ref css-truncate user-select-contain expandable head-ref"><a class="no-underline" href="/${esc(owner)}/${esc(repo)}/tree/${esc(headRef)}"><span class="css-truncate-target">${esc(headRef)}</span></a></span></div>
<div class="js-issue-labels">${labels.map((l) => `<a class="IssueLabel hx_IssueLabel" data-name="${esc(l)}" href="/${esc(owner)}/${esc(repo)}/labels/${encodeURIComponent(l)}">${esc(l)}</a>`).join(' ')}</div></div>
<nav class="tabnav" aria-label="Pull request tabs">
  <a href="${base}" data-soft-nav="conversation"${tab === 'conversation' ? ' aria-current="page"' : ''}>Conversation</a>
  <a href="${base}/changes" data-soft-nav="files"${tab === 'files' ? ' aria-current="page"' : ''}>Files changed <span class="Counter">${files.length}</span></a>
</nav>
<div id="repo-content">${body}</div>
</body></html>`;
}

/**
 * One file in GitHub's classic diff markup (compare pages, older GitHub
 * Enterprise): `.file[data-tagsearch-path]`, number cells
 * `td.blob-num[data-line-number]` whose ids end in L<n>/R<n>, code cells
 * `td.blob-code` (unified view).
 */
function renderClassicFile(f) {
  const anchor = `diff-${pathHash(f.path)}`;
  const rows = [];
  for (const h of f.hunks) {
    rows.push(`<tr class="js-expandable-line"><td class="blob-num blob-num-expandable" colspan="2"></td><td class="blob-code blob-code-inner blob-code-hunk">${esc(h.header)}</td></tr>`);
    for (const l of h.lines) {
      const kind = l.kind === 'add' ? 'addition' : l.kind === 'del' ? 'deletion' : 'context';
      const num = (side, no) => (no != null
        ? `<td id="${anchor}${side}${no}" data-line-number="${no}" class="blob-num blob-num-${kind} js-linkable-line-number"></td>`
        : `<td class="blob-num blob-num-${kind} empty-cell"></td>`);
      rows.push(`<tr>${num('L', l.old)}${num('R', l.new)}<td class="blob-code blob-code-${kind}"><span class="blob-code-inner blob-code-marker-${kind}">${esc(l.text)}</span></td></tr>`);
    }
  }
  return `
<div class="file js-file js-details-container" data-tagsearch-path="${esc(f.path)}" data-file-type=".${esc(f.path.split('.').pop())}">
  <div class="file-header d-flex flex-items-center" data-path="${esc(f.path)}" data-anchor="${anchor}"><a title="${esc(f.path)}" class="Link--primary Truncate-text" href="#${anchor}">${esc(f.path)}</a></div>
  <div class="js-file-content"><div class="data highlight js-blob-wrapper">
    <table class="diff-table js-diff-table tab-size" data-tab-size="8" data-diff-anchor="${anchor}"><tbody>${rows.join('')}</tbody></table>
  </div></div>
</div>`;
}

const CLASSIC_STYLE = `
.file { margin-bottom: 16px; border: 1px solid var(--borderColor-default); border-radius: 6px; }
.file-header { padding: 8px 16px; background: var(--bgColor-muted); border-bottom: 1px solid var(--borderColor-default); font: 600 12px var(--fontStack-monospace); }
.diff-table { width: 100%; border-collapse: collapse; table-layout: fixed; font: 12px/20px var(--fontStack-monospace); }
.diff-table td.blob-num { width: 50px; text-align: right; padding: 0 10px; color: var(--fgColor-muted); }
.diff-table td.blob-num::before { content: attr(data-line-number); }
.blob-code { padding: 0 10px; white-space: pre-wrap; word-break: break-all; }
.blob-code-addition, .blob-num-addition { background: var(--diffBlob-additionLine-bgColor); }
.blob-code-deletion, .blob-num-deletion { background: var(--diffBlob-deletionLine-bgColor); }
.blob-code-hunk { background: var(--diffBlob-hunkLine-bgColor); color: var(--fgColor-muted); }
`;

/** A comparison of two refs (`/compare/<base>...<head>`), in the classic markup. */
export function renderCompare({ owner, repo, base, head, title, diff }) {
  const files = parseDiff(diff);
  return `<!DOCTYPE html>
<html lang="en" data-color-mode="light" data-light-theme="light" data-dark-theme="dark">
<head><meta charset="utf-8"><title>Comparing ${esc(base)}...${esc(head)} · ${esc(owner)}/${esc(repo)}</title><style>${STYLE}${CLASSIC_STYLE}</style></head>
<body>
<div class="AppHeader">${esc(owner)} / ${esc(repo)}</div>
<div class="gh-header"><h1>Comparing changes</h1><p>${esc(title)}: <code>${esc(base)}</code> … <code>${esc(head)}</code></p></div>
<div id="repo-content"><div id="files_bucket"><div id="files" class="diff-view js-diff-container">${files.map(renderClassicFile).join('')}</div></div></div>
</body></html>`;
}

/** A commit's own page: its subject, author and sha over the same file diffs; no branches. */
function commitPage({ owner, repo, title, author, commit, files, view }) {
  return `<!DOCTYPE html>
<html lang="en" data-color-mode="light" data-light-theme="light" data-dark-theme="dark">
<head><meta charset="utf-8"><title>${esc(title)} · ${esc(owner)}/${esc(repo)}@${esc(commit.slice(0, 7))}</title><style>${STYLE}</style></head>
<body>
<div class="AppHeader">${esc(owner)} / ${esc(repo)}</div>
<div class="gh-header"><h1>${esc(title)}</h1>
<div class="commit-meta"><a class="author Link--secondary text-bold" href="/${esc(author)}">${esc(author)}</a> committed · <code>${esc(commit)}</code></div></div>
<div id="repo-content"><div data-testid="progressive-diffs-list">${files.map((f, i) => renderFile(f, i, view)).join('')}</div></div>
</body></html>`;
}

/** The content part only, as a soft navigation fetches it. */
export function renderContent(opts) {
  const html = renderPage(opts);
  return html.slice(html.indexOf('<div id="repo-content">') + '<div id="repo-content">'.length, html.lastIndexOf('</div>'));
}

// Soft navigation like GitHub's: fetch the new tab's content, swap it in,
// pushState, dispatch the soft-nav events. No full page load.
export const SOFT_NAV_JS = `
document.addEventListener('click', async (e) => {
  const a = e.target.closest('a[data-soft-nav]');
  if (!a) return;
  e.preventDefault();
  document.dispatchEvent(new Event('soft-nav:start'));
  const res = await fetch(a.getAttribute('href') + '?_fragment=1');
  const html = await res.text();
  history.pushState({}, '', a.getAttribute('href'));
  const doc = new DOMParser().parseFromString('<div id="x">' + html + '</div>', 'text/html');
  document.getElementById('repo-content').replaceChildren(...doc.getElementById('x').childNodes);
  for (const t of document.querySelectorAll('a[data-soft-nav]')) t.toggleAttribute('aria-current', t === a);
  document.dispatchEvent(new Event('soft-nav:end'));
  document.dispatchEvent(new Event('soft-nav:react-done'));
});
`;

// A CSP like GitHub's: no 'wasm-unsafe-eval', so wasm could not run in a content script.
export const GITHUB_CSP = "default-src 'none'; base-uri 'self'; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; script-src 'self'; style-src 'unsafe-inline' 'self'";
