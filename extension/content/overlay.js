// Blast Radius overlay: a summary panel and one marker per flagged line, drawn
// in two shadow roots attached to <body>. Nothing is inserted into GitHub's own
// elements, so the host layout never reflows and React never sees our nodes.
// Markers are absolutely positioned over the code cells, created only for files
// near the viewport, and repositioned when the layout changes. Every piece of
// text from the diff or the page goes in with textContent.
(() => {
  'use strict';

  const SEVERITIES = ['critical', 'high', 'warning', 'info'];
  const RANK = { info: 0, warning: 1, high: 2, critical: 3 };
  const GLYPH = { critical: '!!', high: '!', warning: '!', info: 'i' };

  const STYLE = `
:host { all: initial; }
* { box-sizing: border-box; }
.sev-critical { --br-sev: var(--fgColor-danger, #d1242f); --br-sev-bg: var(--bgColor-danger-muted, #ffebe9); }
.sev-high { --br-sev: var(--fgColor-severe, #bc4c00); --br-sev-bg: var(--bgColor-severe-muted, #fff1e5); }
.sev-warning { --br-sev: var(--fgColor-attention, #9a6700); --br-sev-bg: var(--bgColor-attention-muted, #fff8c5); }
.sev-info { --br-sev: var(--fgColor-accent, #0969da); --br-sev-bg: var(--bgColor-accent-muted, #ddf4ff); }
.kind-critical, .kind-ai { --br-sev: var(--fgColor-done, #8250df); --br-sev-bg: var(--bgColor-done-muted, #fbefff); }
@media (prefers-color-scheme: dark) {
  .sev-critical { --br-sev: var(--fgColor-danger, #f85149); --br-sev-bg: var(--bgColor-danger-muted, #3d1d1f); }
  .sev-high { --br-sev: var(--fgColor-severe, #db6d28); --br-sev-bg: var(--bgColor-severe-muted, #3d2614); }
  .sev-warning { --br-sev: var(--fgColor-attention, #d29922); --br-sev-bg: var(--bgColor-attention-muted, #3b2e12); }
  .sev-info { --br-sev: var(--fgColor-accent, #4493f8); --br-sev-bg: var(--bgColor-accent-muted, #12263f); }
  .kind-critical, .kind-ai { --br-sev: var(--fgColor-done, #ab7df8); --br-sev-bg: var(--bgColor-done-muted, #2b2240); }
}
.font { font-family: var(--fontStack-system, -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif); font-size: 12px; line-height: 1.5; color: var(--fgColor-default, CanvasText); }
.mono { font-family: var(--fontStack-monospace, ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace); }
button { font: inherit; color: inherit; }
button:focus-visible { outline: 2px solid var(--focus-outlineColor, var(--fgColor-accent, #0969da)); outline-offset: 1px; }
.layer { position: absolute; top: 0; left: 0; width: 0; height: 0; }
.hl { position: absolute; pointer-events: none; border-left: 3px solid var(--br-sev); background: color-mix(in srgb, var(--br-sev) 9%, transparent); }
.hl.kind-critical, .hl.kind-ai { background: none; border-left: 0; outline: 1px dashed var(--br-sev); outline-offset: -1px; }
.marker, .crit-marker { position: absolute; pointer-events: auto; min-width: 18px; height: 18px; padding: 0 4px; border-radius: 9px;
  border: 1px solid var(--br-sev); background: var(--bgColor-default, Canvas); color: var(--br-sev); font-weight: 600; font-size: 11px;
  line-height: 16px; text-align: center; cursor: pointer; box-shadow: var(--shadow-resting-small, 0 1px 1px rgba(31,35,40,.1)); }
.crit-marker { border-style: dashed; font-size: 10px; }
.marker:hover, .marker[aria-expanded="true"], .crit-marker:hover, .crit-marker[aria-expanded="true"] { background: var(--br-sev); color: var(--fgColor-onEmphasis, #fff); }
.card { position: absolute; pointer-events: auto; width: min(460px, 80vw); padding: 8px 12px 10px; border-radius: 6px;
  border: 1px solid var(--borderColor-default, #d1d9e0); border-left: 4px solid var(--br-sev);
  background: var(--overlay-bgColor, var(--bgColor-default, Canvas));
  box-shadow: var(--shadow-floating-small, 0 6px 12px -3px rgba(37,41,46,.04), 0 6px 18px 0 rgba(37,41,46,.12)); z-index: 2; }
.card h3 { margin: 0 0 4px; font-size: 13px; font-weight: 600; }
.card p { margin: 4px 0; }
.card .meta, .muted { color: var(--fgColor-muted, GrayText); }
.card code { display: block; white-space: pre-wrap; word-break: break-all; padding: 4px 6px; border-radius: 4px; background: var(--bgColor-muted, rgba(127,127,127,.12)); font-size: 11px; }
.card .item + .item { border-top: 1px solid var(--borderColor-muted, rgba(127,127,127,.3)); margin-top: 6px; padding-top: 6px; }
.close { position: absolute; top: 4px; right: 6px; border: 0; background: none; cursor: pointer; color: var(--fgColor-muted, GrayText); font-size: 14px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 2em; border: 1px solid var(--br-sev); color: var(--br-sev); font-size: 11px; font-weight: 600; line-height: 16px; }
.panel { position: fixed; right: 16px; bottom: 16px; width: 340px; max-height: min(60vh, 480px); display: flex; flex-direction: column;
  border: 1px solid var(--borderColor-default, #d1d9e0); border-radius: 12px; overflow: hidden;
  background: var(--overlay-bgColor, var(--bgColor-default, Canvas));
  box-shadow: var(--shadow-floating-medium, 0 8px 16px -4px rgba(37,41,46,.08), 0 4px 32px -4px rgba(37,41,46,.08)); }
.panel header { display: flex; flex-direction: column; align-items: stretch; gap: 4px; padding: 6px 8px; border-bottom: 1px solid var(--borderColor-muted, rgba(127,127,127,.3)); background: var(--bgColor-muted, transparent); }
.panel .title { text-align: left; white-space: nowrap; border: 0; background: none; cursor: pointer; font-weight: 600; padding: 2px 4px; border-radius: 6px; }
.counts { display: flex; gap: 4px; margin: 0; padding: 0 4px; list-style: none; }
.counts li { display: inline-flex; gap: 3px; align-items: baseline; }
.counts li[data-zero="true"] { opacity: .55; }
.panel .body { overflow: auto; }
.panel[data-collapsed="true"] .body { display: none; }
.status { margin: 0; padding: 6px 10px; }
.facts { margin: 0; padding: 6px 10px 0; }
.facts p { margin: 0 0 2px; }
.config-problems { margin: 4px 0; padding: 4px 6px; border-left: 3px solid var(--borderColor-attention-emphasis, #9a6700); }
.config-problems ul { margin: 2px 0 0; padding-left: 16px; }
.config-problems li { overflow-wrap: anywhere; }
.section { margin: 6px 10px 0; font-size: 12px; font-weight: 600; }
.jump, .crit-list { list-style: none; margin: 0; padding: 4px; }
.jump button, .crit-list button { display: flex; width: 100%; gap: 6px; align-items: baseline; text-align: left; border: 0; background: none; cursor: pointer; padding: 4px 6px; border-radius: 6px; }
.jump button:hover, .crit-list button:hover { background: var(--control-transparent-bgColor-hover, rgba(127,127,127,.15)); }
.jump .where, .crit-list .where { flex: 0 1 auto; max-width: 55%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.jump .msg, .crit-list .msg { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.dismiss { display: flex; gap: 6px; align-items: center; margin-top: 4px; }
.dismiss select, .dismiss button, .dismissed button { font: inherit; font-size: 11px; color: inherit; background: var(--bgColor-muted, transparent);
  border: 1px solid var(--borderColor-default, #d1d9e0); border-radius: 6px; padding: 1px 6px; cursor: pointer; }
.dismissed { margin: 4px 10px 0; }
.dismissed ul { list-style: none; margin: 2px 0 0; padding: 0; }
.dismissed li { display: flex; gap: 6px; align-items: baseline; padding: 2px 0; }
.dismissed li .what { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
`;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, String(v));
    }
    for (const c of children) if (c) e.append(c);
    return e;
  }

  /** `extraCss`: the host adapter's theme (its design tokens under our names). */
  function shadowHost(id, z, extraCss = '') {
    const host = document.createElement('div');
    host.id = id;
    host.setAttribute('data-blastradius', '');
    // Out of flow and zero-sized: never changes GitHub's layout.
    host.style.cssText = `position:absolute;top:0;left:0;width:0;height:0;margin:0;padding:0;border:0;z-index:${z};`;
    const root = host.attachShadow({ mode: 'open' });
    root.append(el('style', { text: STYLE + extraCss }));
    return { host, root };
  }

  const sevLabel = (s) => s.charAt(0).toUpperCase() + s.slice(1);

  // Dismissed findings, remembered per repository in this browser only
  // (chrome.storage.local, key `dismissed:<repository>`): a finding is known
  // by its rule, file, side and the flagged code (or message), so it stays
  // dismissed when lines move and comes back when that code changes.
  const DISMISS_REASONS = ['False positive', 'Accepted risk', 'Not relevant here'];
  const MAX_DISMISSED = 1000;
  const norm = (s) => String(s ?? '').replace(/\s+/g, ' ').trim().slice(0, 500);
  const fingerprint = (f) => [f.rule_id, f.path, f.side === 'old' ? 'old' : 'new', norm(f.evidence) || norm(f.message)].join('\u0000');
  async function loadDismissed(key) {
    if (!key || !globalThis.chrome?.storage?.local) return {};
    try {
      const v = (await chrome.storage.local.get(key))[key];
      return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
    } catch {
      return {};
    }
  }
  async function saveDismissed(key, map) {
    if (!key || !globalThis.chrome?.storage?.local) return;
    const entries = Object.entries(map).sort((a, b) => (b[1]?.at ?? 0) - (a[1]?.at ?? 0)).slice(0, MAX_DISMISSED);
    if (entries.length) await chrome.storage.local.set({ [key]: Object.fromEntries(entries) });
    else await chrome.storage.local.remove(key);
  }
  const where = (f) => `${f.path}:${f.line}${f.end_line > f.line ? `-${f.end_line}` : ''}${f.side === 'old' ? ' (deleted)' : ''}`;

  /**
   * How much of the change the syntax layer saw whole: files parsed from their
   * full base/head contents (or added/deleted, whose hunk is the whole file)
   * versus from the diff's hunks only, where symbols near a hunk's edge can be
   * missing.
   */
  function syntaxFact(report) {
    const syn = Array.isArray(report?.syntax) ? report.syntax.filter((s) => s && typeof s === 'object') : [];
    const status = new Map((Array.isArray(report?.files) ? report.files : []).map((f) => [f?.path, f?.status]));
    const parsed = syn.filter((s) => s.source === 'full' || s.source === 'hunks');
    if (!parsed.length) return null;
    const whole = parsed.filter((s) => s.source === 'full' || ['added', 'deleted'].includes(status.get(s.path))).length;
    const n = parsed.length;
    if (whole === n) return `whole files for ${n === 1 ? 'the parsed file' : `all ${n} parsed files`}`;
    return `whole files for ${whole} of ${n} parsed files; ${n - whole} from the diff's hunks only (partial)`;
  }

  /** Churn and ownership of the changed files, when the report has history. */
  function historyFact(report) {
    const h = report?.history;
    const files = Array.isArray(h?.files) ? h.files.filter((f) => f && typeof f.path === 'string') : [];
    if (!files.length) return null;
    const hot = new Set(Array.isArray(h.hotspots) ? h.hotspots : []);
    const fresh = Array.isArray(h.new_to_author) ? h.new_to_author.filter((p) => typeof p === 'string') : [];
    const parts = files.filter((f) => hot.has(f.path)).slice(0, 3)
      .map((f) => `${f.path} changed ${Number(f.recent_changes) || 0}${h.truncated ? '+' : ''} times in 90 days by ${Number(f.authors) || 0} authors (hotspot)`);
    if (fresh.length) parts.push(`new to the author: ${fresh.slice(0, 3).join(', ')}${fresh.length > 3 ? ` (+${fresh.length - 3})` : ''}`);
    if (!parts.length) parts.push(`${files.length} changed file${files.length === 1 ? '' : 's'} with earlier commits; no churn hotspot`);
    return parts.join('; ');
  }

  function riskOf(report) {
    const r = report?.risk;
    if (!r || typeof r !== 'object') return null;
    if (Number.isFinite(r.score)) return r;
    return r.risk && typeof r.risk === 'object' ? r.risk : null;
  }

  /** Critical lines and AI-attributed lines, drawn apart from findings. */
  function extraGroups(report) {
    const out = [];
    const crit = Array.isArray(report?.critical_lines) ? report.critical_lines
      : Array.isArray(report?.risk?.critical_lines) ? report.risk.critical_lines : [];
    for (const c of crit.slice(0, 50)) {
      if (!c || typeof c.path !== 'string' || !(Number(c.line) > 0)) continue;
      const side = c.side === 'old' ? 'old' : 'new';
      const line = Number(c.line);
      const rank = Number(c.rank) || out.length + 1;
      const reasons = Array.isArray(c.reasons) ? c.reasons.map(String).join('; ') : '';
      out.push({
        key: `crit\u0000${side}\u0000${c.path}\u0000${line}`, kind: 'critical', badge: `#${rank}`, path: c.path, side, line, endLine: line,
        severity: 'info',
        findings: [{
          message: `Critical line #${rank}${Number.isFinite(c.score) ? ` (score ${Number(c.score).toFixed(2)})` : ''}`,
          explanation: reasons, evidence: typeof c.text === 'string' ? c.text : '', rule_id: 'critical-line', path: c.path, line, end_line: line, side,
        }],
      });
    }
    const ai = Array.isArray(report?.authorship?.lines) ? report.authorship.lines : [];
    for (const l of ai.slice(0, 200)) {
      if (!l || typeof l.path !== 'string' || !(Number(l.start) > 0)) continue;
      const line = Number(l.start);
      const end = Math.max(line, Number(l.end) || line);
      const who = [l.tool, l.model].filter((x) => typeof x === 'string' && x).join(' / ');
      out.push({
        key: `ai\u0000${l.path}\u0000${line}`, kind: 'ai', badge: 'AI', path: l.path, side: 'new', line, endLine: end, severity: 'info',
        findings: [{
          message: `AI-attributed lines${who ? ` (${who})` : ''}`,
          explanation: `Lines ${line}-${end} are recorded as written by an AI agent${l.source ? ` (${l.source})` : ''}.`,
          evidence: '', rule_id: 'ai-attribution', path: l.path, line, end_line: end, side: 'new',
        }],
      });
    }
    return out;
  }

  class Overlay {
    constructor(host) {
      this.hostAdapter = host;
      this.groups = []; // {key, path, side, line, endLine, severity, findings, marker, hl, file, cell}
      this.visible = new Set(); // observed containers near the viewport
      this.frame = 0;
      this.openGroup = null;
      this.collapsed = false;
    }

    mount() {
      if (this.markers) return;
      const theme = typeof this.hostAdapter.THEME_CSS === 'string' ? this.hostAdapter.THEME_CSS : '';
      this.markers = shadowHost('blastradius-markers', 1, theme);
      this.layer = el('div', { class: 'layer font' });
      this.markers.root.append(this.layer);
      this.panelHost = shadowHost('blastradius-panel', 2147483000, theme);
      this.buildPanel();
      document.body.append(this.markers.host, this.panelHost.host);
      this.io = new IntersectionObserver((entries) => {
        for (const e of entries) {
          if (e.isIntersecting) this.visible.add(e.target);
          else this.visible.delete(e.target);
        }
        this.schedule();
      }, { rootMargin: '800px 0px' });
      this.ro = new ResizeObserver(() => this.schedule());
      this.ro.observe(document.documentElement);
      this.onScroll = () => this.schedule();
      this.onKey = (e) => {
        if (e.key === 'Escape' && this.openGroup) {
          const g = this.openGroup;
          this.closeCard();
          if (g.marker && g.marker.isConnected) g.marker.focus({ preventScroll: true });
        }
      };
      // Alt+Shift+ArrowDown / ArrowUp: the next / previous flagged line, in
      // the jump list's order (not while typing in the page's own fields).
      this.onPageKey = (e) => {
        if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
        const t = e.composedPath()[0];
        if (t instanceof Element && (t.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'))) return;
        const order = this.groups.filter((g) => !g.kind && g.cell);
        if (!order.length) return;
        e.preventDefault();
        const at = order.indexOf(this.openGroup);
        const next = at < 0 ? (e.key === 'ArrowDown' ? 0 : order.length - 1)
          : (at + (e.key === 'ArrowDown' ? 1 : -1) + order.length) % order.length;
        this.jumpTo(order[next]);
      };
      document.addEventListener('keydown', this.onPageKey, true);
      window.addEventListener('resize', this.onScroll, { passive: true });
      document.addEventListener('scroll', this.onScroll, { passive: true, capture: true });
      this.markers.root.addEventListener('keydown', this.onKey);
    }

    destroy() {
      cancelAnimationFrame(this.frame);
      this.io?.disconnect();
      this.ro?.disconnect();
      window.removeEventListener('resize', this.onScroll);
      if (this.onPageKey) document.removeEventListener('keydown', this.onPageKey, true);
      document.removeEventListener('scroll', this.onScroll, { capture: true });
      this.markers?.host.remove();
      this.panelHost?.host.remove();
      this.markers = null;
      this.groups = [];
      this.visible.clear();
    }

    buildPanel() {
      this.countEls = {};
      const counts = el('ul', { class: 'counts', 'aria-label': 'Findings by severity' });
      for (const s of SEVERITIES) {
        const n = el('span', { class: 'n', text: '0' });
        const li = el('li', { class: `badge sev-${s}`, 'data-severity': s, title: sevLabel(s) }, n, document.createTextNode(` ${s}`));
        this.countEls[s] = { li, n };
        counts.append(li);
      }
      this.toggle = el('button', {
        class: 'title', type: 'button', 'aria-expanded': 'true', text: 'Blast Radius',
        onclick: () => this.setCollapsed(!this.collapsed),
      });
      this.status = el('p', { class: 'status muted', role: 'status', text: 'Analysing the diff…' });
      this.jump = el('ol', { class: 'jump', 'aria-label': 'Flagged lines (Alt+Shift+Down / Up: next / previous)', 'aria-keyshortcuts': 'Alt+Shift+ArrowDown Alt+Shift+ArrowUp' });
      this.facts = el('div', { class: 'facts' });
      this.critHead = el('h4', { class: 'section', text: 'Review these lines first', hidden: true });
      this.crit = el('ol', { class: 'crit-list', 'aria-label': 'Lines to review first' });
      this.dismissedBox = el('div', { class: 'dismissed muted', 'data-fact': 'dismissed', hidden: true });
      this.panel = el('section', { class: 'panel font', role: 'region', 'aria-label': 'Blast Radius findings', 'data-collapsed': 'false' },
        el('header', {}, this.toggle, counts),
        el('div', { class: 'body' }, this.facts, this.status, this.jump, this.dismissedBox, this.critHead, this.crit));
      this.panelHost.root.append(this.panel);
    }

    setCollapsed(c) {
      this.collapsed = c;
      this.panel.setAttribute('data-collapsed', String(c));
      this.toggle.setAttribute('aria-expanded', String(!c));
    }

    setStatus(text) {
      this.mount();
      this.status.textContent = text;
      this.status.hidden = !text;
    }

    /**
     * Shows a report (the JSON contract; extra fields are ignored), without
     * the findings dismissed for `context.dismissKey` (a repository).
     */
    async setReport(report, context = {}) {
      this.mount();
      this.report = report;
      this.context = context;
      this.dismissed = await loadDismissed(context.dismissKey);
      if (this.report !== report) return undefined; // a newer report arrived meanwhile
      return this.render();
    }

    /** Dismisses `f` with `reason`; remembered for the repository; redraws. */
    async dismiss(f, reason) {
      const key = this.context?.dismissKey;
      this.dismissed = { ...(await loadDismissed(key)), [fingerprint(f)]: {
        rule: String(f.rule_id ?? ''), path: String(f.path ?? ''), message: norm(f.message).slice(0, 200), reason, at: Date.now(),
      } };
      await saveDismissed(key, this.dismissed);
      return this.render();
    }

    /** Brings back one dismissed finding (by fingerprint), or all when `fp` is null. */
    async restore(fp) {
      const key = this.context?.dismissKey;
      const map = { ...(await loadDismissed(key)) };
      if (fp === null) for (const k of Object.keys(map)) delete map[k];
      else delete map[fp];
      this.dismissed = map;
      await saveDismissed(key, map);
      return this.render();
    }

    render() {
      const report = this.report;
      const context = this.context || {};
      this.clearMarkers();
      const all = Array.isArray(report?.findings) ? report.findings.filter((f) => f && typeof f.path === 'string') : [];
      const dismissed = this.dismissed || {};
      const findings = [];
      const hidden = [];
      for (const f of all) (dismissed[fingerprint(f)] ? hidden : findings).push(f);
      const byKey = new Map();
      for (const f of findings) {
        const sev = RANK[f.severity] !== undefined ? f.severity : 'info';
        const line = Number(f.line) || 0;
        const key = `${f.side}\u0000${f.path}\u0000${line}`;
        let g = byKey.get(key);
        if (!g) {
          g = { key, path: f.path, side: f.side === 'old' ? 'old' : 'new', line, endLine: line, severity: sev, findings: [] };
          byKey.set(key, g);
        }
        g.findings.push(f);
        g.endLine = Math.max(g.endLine, Number(f.end_line) || line);
        if (RANK[sev] > RANK[g.severity]) g.severity = sev;
      }
      const findingGroups = [...byKey.values()].sort((a, b) => RANK[b.severity] - RANK[a.severity]
        || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line);
      const extra = extraGroups(report);
      this.groups = [...findingGroups, ...extra];
      this.renderFacts(report, context);
      const counts = { info: 0, warning: 0, high: 0, critical: 0 };
      const sc = hidden.length ? null : report?.summary?.findings;
      for (const s of SEVERITIES) {
        counts[s] = sc && Number.isFinite(sc[s]) ? sc[s] : findings.filter((f) => f.severity === s).length;
        this.countEls[s].n.textContent = String(counts[s]);
        this.countEls[s].li.setAttribute('data-zero', String(counts[s] === 0));
      }
      const total = findings.length;
      const files = report?.summary?.files;
      this.toggle.textContent = `Blast Radius · ${total} finding${total === 1 ? '' : 's'}`;
      this.setStatus(total === 0 ? `No findings${hidden.length ? ' left' : ''}${Number.isFinite(files) ? ` in ${files} file${files === 1 ? '' : 's'}` : ''}.` : '');
      this.renderDismissed(hidden);
      this.jump.replaceChildren();
      this.crit.replaceChildren();
      for (const g of extra) {
        const first = g.findings[0];
        g.jumpItem = el('button', {
          type: 'button', class: `kind-${g.kind}`, 'data-path': g.path, 'data-line': g.line, 'data-side': g.side, 'data-kind': g.kind,
          'aria-label': `${first.message} at ${where(first)}`,
          onclick: () => this.jumpTo(g),
        },
        el('span', { class: 'badge', text: g.badge }),
        el('span', { class: 'where mono', text: where(first) }),
        el('span', { class: 'msg', text: first.explanation || first.message }));
        this.crit.append(el('li', {}, g.jumpItem));
      }
      this.critHead.hidden = extra.length === 0;
      for (const g of findingGroups) {
        const first = g.findings[0];
        g.jumpItem = el('button', {
          type: 'button', class: `sev-${g.severity}`, 'data-path': g.path, 'data-line': g.line, 'data-side': g.side,
          'aria-label': `${sevLabel(g.severity)}: ${first.message} at ${where(first)}`,
          onclick: () => this.jumpTo(g),
        },
        el('span', { class: 'badge', text: sevLabel(g.severity) }),
        el('span', { class: 'where mono', text: where(first) }),
        el('span', { class: 'msg', text: g.findings.length > 1 ? `${first.message} (+${g.findings.length - 1})` : first.message }));
        this.jump.append(el('li', {}, g.jumpItem));
      }
      return this.refresh();
    }

    /** "N dismissed": a toggle listing them, each with Restore, and Restore all. */
    renderDismissed(hidden) {
      const box = this.dismissedBox;
      box.replaceChildren();
      box.hidden = hidden.length === 0;
      if (!hidden.length) return;
      const list = el('ul', { hidden: !this.showDismissed });
      for (const f of hidden) {
        const fp = fingerprint(f);
        const why = this.dismissed[fp]?.reason;
        list.append(el('li', {},
          el('span', { class: 'what', text: `${where(f)} ${f.message}${why ? ` (${why})` : ''}` }),
          el('button', { type: 'button', text: 'Restore', 'aria-label': `Restore: ${f.message} at ${where(f)}`, onclick: () => this.restore(fp) })));
      }
      const toggle = el('button', {
        type: 'button', 'aria-expanded': String(Boolean(this.showDismissed)),
        text: this.showDismissed ? 'Hide' : 'Show',
        onclick: () => {
          this.showDismissed = !this.showDismissed;
          this.renderDismissed(hidden);
        },
      });
      box.append(el('span', { text: `${hidden.length} dismissed finding${hidden.length === 1 ? '' : 's'} hidden ` }), toggle);
      if (this.showDismissed) box.append(el('button', { type: 'button', text: 'Restore all', onclick: () => this.restore(null) }));
      box.append(list);
    }

    /** Risk score and AI-authorship verdict, when the report has them. */
    renderFacts(report, context = {}) {
      this.facts.replaceChildren();
      if (typeof context.policySource === 'string' && context.policySource) {
        this.facts.append(el('p', { 'data-fact': 'policy' },
          el('strong', { text: 'Policy: ' }), document.createTextNode(context.policySource)));
      }
      // Approvals the host's API reported (they satisfy the policy's sign-off).
      const approvals = Array.isArray(context.approvals) ? context.approvals.filter((x) => typeof x === 'string' && x).slice(0, 20) : [];
      if (approvals.length) {
        this.facts.append(el('p', { 'data-fact': 'approvals' },
          el('strong', { text: 'Approved by: ' }), document.createTextNode(approvals.map((x) => `@${x}`).join(', '))));
      }
      // Problems in the policy or rule packs: the built-in defaults still applied.
      const problems = [
        ...(Array.isArray(context.configProblems) ? context.configProblems.map(String) : []),
        ...(Array.isArray(report?.config_diagnostics) ? report.config_diagnostics : [])
          .filter((d) => d && typeof d === 'object')
          .map((d) => `${d.source ?? '?'}${Number(d.line) > 0 ? `:${Number(d.line)}:${Number(d.column) || 0}` : ''}: ${d.message ?? ''}`),
      ];
      if (problems.length) {
        this.facts.append(el('div', { 'data-fact': 'config-problems', class: 'config-problems', role: 'note' },
          el('strong', { text: 'Configuration problems (built-in defaults still apply):' }),
          el('ul', {}, ...problems.slice(0, 10).map((t) => el('li', { class: 'mono', text: t })))));
      }
      const risk = riskOf(report);
      if (risk) {
        const top = (Array.isArray(risk.factors) ? risk.factors : [])
          .filter((f) => f && Number(f.contribution) > 0)
          .sort((a, b) => b.contribution - a.contribution)
          .slice(0, 3)
          .map((f) => f.description || f.name);
        this.facts.append(el('p', { 'data-fact': 'risk' },
          el('strong', { text: `Risk: ${String(risk.tier ?? '').replace(/-/g, ' ') || 'unknown'}` }),
          document.createTextNode(Number.isFinite(risk.score) ? ` (score ${risk.score.toFixed(2)})` : ''),
          top.length ? el('span', { class: 'muted', text: ` — ${top.join('; ')}` }) : null));
      }
      const a = report?.authorship;
      if (a && typeof a === 'object' && a.verdict) {
        const parts = [];
        if (a.basis && a.basis !== 'none') parts.push(`from ${a.basis}`);
        if (Array.isArray(a.agents) && a.agents.length) parts.push(a.agents.join(', '));
        if (Number(a.ai_lines) > 0) parts.push(`${a.ai_lines} attributed line${a.ai_lines === 1 ? '' : 's'}`);
        this.facts.append(el('p', { 'data-fact': 'authorship', class: a.verdict === 'no-evidence' ? 'muted' : '' },
          el('strong', { text: `AI authorship: ${String(a.verdict).replace(/-/g, ' ')}` }),
          document.createTextNode(parts.length ? ` (${parts.join(' · ')})` : '')));
      }
      const history = historyFact(report);
      if (history) {
        this.facts.append(el('p', { 'data-fact': 'history' },
          el('strong', { text: 'History: ' }), document.createTextNode(history)));
      }
      const syntax = syntaxFact(report);
      if (syntax) {
        this.facts.append(el('p', { 'data-fact': 'syntax', class: 'muted' },
          el('strong', { text: 'Syntax: ' }), document.createTextNode(syntax)));
      }
      this.facts.hidden = this.facts.childElementCount === 0;
    }

    clearMarkers() {
      this.closeCard();
      for (const g of this.groups) {
        g.marker?.remove();
        g.hl?.remove();
        g.marker = g.hl = null;
      }
      this.io?.disconnect();
      this.visible.clear();
    }

    /** Re-resolves files and lines (after GitHub re-rendered or loaded more files). */
    async refresh() {
      if (!this.markers) return;
      const host = this.hostAdapter;
      const index = host.indexFiles(document);
      const fileCache = new Map();
      for (const g of this.groups) {
        if (g.file && g.file.container.isConnected && g.cell && g.cell.isConnected) continue;
        // An adapter whose index can miss a file (GitHub's) also has a slower lookup.
        if (!fileCache.has(g.path)) fileCache.set(g.path, index.get(g.path) || (host.findFile ? await host.findFile(document, g.path) : null));
        g.file = fileCache.get(g.path);
        g.cell = g.file ? host.findLine(g.file, g.side, g.line) : null;
        g.endCell = g.file && g.endLine > g.line ? host.findLine(g.file, g.side, g.endLine) : null;
        if (g.file) this.io.observe(g.file.container);
        const located = Boolean(g.cell);
        g.jumpItem?.setAttribute('data-located', String(located));
        const msg = g.jumpItem?.querySelector('.msg');
        if (msg && !located && !msg.dataset.suffixed) {
          msg.dataset.suffixed = '1';
          msg.append(document.createTextNode(g.file ? ' — line not loaded' : ' — file not shown'));
        }
      }
      this.schedule();
    }

    schedule() {
      if (this.frame) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.place();
      });
    }

    /** Draws markers for files near the viewport; removes the others. */
    place() {
      if (!this.markers) return;
      const origin = this.markers.host.getBoundingClientRect();
      for (const g of this.groups) {
        const show = g.cell && g.cell.isConnected && g.file && this.visible.has(g.file.container);
        if (!show) {
          if (g.marker && g !== this.openGroup) {
            g.marker.remove();
            g.hl.remove();
            g.marker = g.hl = null;
          }
          continue;
        }
        const r = g.cell.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        let bottom = r.bottom;
        if (g.endCell && g.endCell.isConnected) bottom = Math.max(bottom, g.endCell.getBoundingClientRect().bottom);
        if (!g.marker) this.createMarker(g);
        const top = r.top - origin.top;
        const left = r.left - origin.left;
        Object.assign(g.hl.style, { top: `${top}px`, left: `${left}px`, width: `${r.width}px`, height: `${bottom - r.top}px` });
        const mh = 18;
        const mx = g.kind ? left + r.width - (g.kind === 'ai' ? 64 : 34) : left - 22;
        Object.assign(g.marker.style, { top: `${top + Math.max(0, (r.height - mh) / 2)}px`, left: `${mx}px` });
        if (this.openGroup === g && this.card) {
          Object.assign(this.card.style, { top: `${top + r.height + 2}px`, left: `${Math.max(0, left)}px` });
        }
      }
    }

    createMarker(g) {
      const first = g.findings[0];
      const n = g.findings.length;
      const cls = g.kind ? `kind-${g.kind}` : `sev-${g.severity}`;
      g.hl = el('div', { class: `hl ${cls}`, 'aria-hidden': 'true' });
      if (g.kind) {
        g.marker = el('button', {
          type: 'button', class: `crit-marker ${cls}`, 'data-path': g.path, 'data-line': g.line, 'data-side': g.side, 'data-kind': g.kind,
          'aria-expanded': 'false', 'aria-label': `Blast Radius: ${first.message} (${where(first)})`, title: first.message,
          text: g.badge, onclick: () => (this.openGroup === g ? this.closeCard() : this.openCard(g)),
        });
        this.layer.append(g.hl, g.marker);
        return;
      }
      g.marker = el('button', {
        type: 'button',
        class: `marker sev-${g.severity}`,
        'data-path': g.path, 'data-line': g.line, 'data-side': g.side, 'data-severity': g.severity,
        'aria-expanded': 'false',
        'aria-label': `Blast Radius ${sevLabel(g.severity)}: ${first.message}${n > 1 ? ` and ${n - 1} more` : ''} (${where(first)})`,
        title: `${sevLabel(g.severity)}: ${first.message}${n > 1 ? ` (+${n - 1})` : ''}`,
        text: n > 1 ? String(n) : GLYPH[g.severity],
        onclick: () => (this.openGroup === g ? this.closeCard() : this.openCard(g)),
      });
      this.layer.append(g.hl, g.marker);
    }

    openCard(g) {
      this.closeCard();
      this.openGroup = g;
      g.marker.setAttribute('aria-expanded', 'true');
      const card = el('div', { class: `card font ${g.kind ? `kind-${g.kind}` : `sev-${g.severity}`}`, role: 'dialog', 'aria-label': `Blast Radius: ${where(g.findings[0])}` });
      card.append(el('button', { type: 'button', class: 'close', 'aria-label': 'Close', text: '×', onclick: () => { this.closeCard(); g.marker?.focus({ preventScroll: true }); } }));
      for (const f of g.findings) {
        const sev = RANK[f.severity] !== undefined ? f.severity : 'info';
        card.append(el('div', { class: `item ${g.kind ? `kind-${g.kind}` : `sev-${sev}`}` },
          el('h3', {}, el('span', { class: 'badge', text: g.kind ? g.badge : sevLabel(sev) }), document.createTextNode(` ${f.message}`)),
          el('div', { class: 'meta mono', text: `${f.rule_id} · ${where(f)}${f.confidence ? ` · ${f.confidence} confidence` : ''}` }),
          f.explanation ? el('p', { text: f.explanation }) : null,
          f.evidence ? el('code', { class: 'mono', text: f.evidence }) : null,
          f.docs ? el('p', { class: 'meta', text: `Docs: ${f.docs}` }) : null,
          g.kind ? null : this.dismissControls(f)));
      }
      this.card = card;
      this.layer.append(card);
      this.place();
    }

    /** A reason and a Dismiss button: the finding is hidden here and on later visits. */
    dismissControls(f) {
      const reason = el('select', { 'aria-label': `Reason to dismiss: ${f.message}` },
        ...DISMISS_REASONS.map((r) => el('option', { value: r, text: r })));
      return el('div', { class: 'dismiss' }, reason, el('button', {
        type: 'button', text: 'Dismiss', 'aria-label': `Dismiss: ${f.message}`,
        onclick: () => this.dismiss(f, DISMISS_REASONS.includes(reason.value) ? reason.value : DISMISS_REASONS[0]),
      }));
    }

    closeCard() {
      if (this.openGroup?.marker) this.openGroup.marker.setAttribute('aria-expanded', 'false');
      this.card?.remove();
      this.card = null;
      this.openGroup = null;
    }

    jumpTo(g) {
      const target = g.cell && g.cell.isConnected ? g.cell : g.file?.container;
      if (!target) return;
      target.scrollIntoView({ block: 'center' });
      // Force the file into the visible set so the marker exists right away.
      if (g.file) this.visible.add(g.file.container);
      this.place();
      if (g.marker) {
        this.openCard(g);
        g.marker.focus({ preventScroll: true });
      }
    }
  }

  globalThis.BlastRadiusOverlay = Overlay;
})();
