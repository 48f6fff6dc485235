// Options, kept in storage.local: minimum severity, per-repository opt-out,
// whether full files and commit history are read, the user's rule packs and
// a fallback policy. Packs and policy are checked with the same wasm engine
// before they are saved (this is an extension page, so wasm may run here),
// and their problems shown with line and column.
import init, { analyze } from '../pkg-core/blastradius.js';
import { checkInstance, instanceHosts } from '../instances.js';

const SEVERITIES = ['info', 'warning', 'high', 'critical'];
const MAX_CONFIG_BYTES = 256 * 1024;
const form = document.getElementById('form');
const minSeverity = document.getElementById('minSeverity');
const disabledRepos = document.getElementById('disabledRepos');
const userPacks = document.getElementById('userPacks');
const fallbackPolicy = document.getElementById('fallbackPolicy');
const fullFiles = document.getElementById('fullFiles');
const instancesBox = document.getElementById('instances');
const problems = document.getElementById('problems');
const problemList = document.getElementById('problemList');
const saved = document.getElementById('saved');

function parseRepos(text) {
  return [...new Set(text.split(/\s+/).map((s) => s.trim()).filter((s) => /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/.test(s)))];
}

/** The origin patterns an instance is read from (see instanceHosts). */
const originsOf = (i) => instanceHosts(i).map((h) => `https://${h}/*`);

/**
 * The instances list: `{instances: [{kind, origin}], problems}`, one
 * `kind https://host` per line (blank lines skipped).
 */
export function parseInstances(text) {
  const instances = [];
  const problems = [];
  text.split('\n').forEach((line, k) => {
    const t = line.trim();
    if (!t) return;
    const [kind, addr, extra] = t.split(/\s+/);
    const c = extra === undefined ? checkInstance(kind, addr) : checkInstance(null, addr);
    if (c.problem) problems.push(`instances:${k + 1}: ${c.problem}`);
    else if (!instances.some((i) => i.origin === c.instance.origin)) instances.push(c.instance);
  });
  return { instances, problems };
}

let engine = null;
const ready = () => (engine ??= init({ module_or_path: new URL('../pkg-core/blastradius_bg.wasm', import.meta.url) }));

// A one-line change, enough for the engine to load the packs and the policy.
const PROBE = 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n';

/** Problems of the packs and policy as "source:line:column: message" strings. */
export async function configProblems(packs, policy) {
  const out = [];
  if (packs.length > MAX_CONFIG_BYTES) out.push(`rule packs: longer than ${MAX_CONFIG_BYTES} bytes`);
  if (policy.length > MAX_CONFIG_BYTES) out.push(`fallback policy: longer than ${MAX_CONFIG_BYTES} bytes`);
  if (out.length || (!packs.trim() && !policy.trim())) return out;
  await ready();
  const report = analyze(PROBE, {
    policy: policy.trim() ? policy : null,
    rule_packs: packs.trim() ? [{ name: 'rule packs', text: packs }] : [],
  });
  for (const d of report.config_diagnostics || []) {
    const source = d.source === '.blastradius.toml' ? 'fallback policy' : d.source;
    out.push(`${source}${d.line > 0 ? `:${d.line}:${d.column}` : ''}: ${d.message}`);
  }
  return out;
}

function showProblems(list) {
  problemList.replaceChildren(...list.map((t) => {
    const li = document.createElement('li');
    li.textContent = t;
    return li;
  }));
  problems.hidden = list.length === 0;
}

async function load() {
  const o = await chrome.storage.local.get({ minSeverity: 'info', disabledRepos: [], userPacks: '', fallbackPolicy: '', fullFiles: true, instances: [] });
  instancesBox.value = (Array.isArray(o.instances) ? o.instances : []).map((i) => `${i.kind} ${i.origin}`).join('\n');
  minSeverity.value = SEVERITIES.includes(o.minSeverity) ? o.minSeverity : 'info';
  disabledRepos.value = (Array.isArray(o.disabledRepos) ? o.disabledRepos : []).join('\n');
  userPacks.value = typeof o.userPacks === 'string' ? o.userPacks : '';
  fallbackPolicy.value = typeof o.fallbackPolicy === 'string' ? o.fallbackPolicy : '';
  fullFiles.checked = o.fullFiles !== false;
  document.getElementById('engine').textContent = `Version ${chrome.runtime.getManifest().version}`;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  saved.textContent = '';
  const inst = parseInstances(instancesBox.value);
  if (inst.problems.length) {
    showProblems(inst.problems);
    return;
  }
  // Asked first, while the click still counts as the user's: the browser
  // shows its own prompt for origins the extension may not read yet.
  const origins = inst.instances.flatMap(originsOf);
  let granted = true;
  try {
    granted = origins.length ? await chrome.permissions.request({ origins }) : true;
  } catch (err) {
    granted = false;
  }
  if (!granted) {
    showProblems([`instances: the browser did not allow reading ${inst.instances.map((i) => i.origin).join(', ')}`]);
    return;
  }
  let found;
  try {
    found = await configProblems(userPacks.value, fallbackPolicy.value);
  } catch (err) {
    found = [`could not check the rule packs and policy: ${err && err.message ? err.message : err}`];
  }
  showProblems(found);
  if (found.length) return;
  // Sites no longer listed: their access is given back.
  const before = (await chrome.storage.local.get({ instances: [] })).instances;
  const dropped = (Array.isArray(before) ? before : []).flatMap(originsOf).filter((o) => !origins.includes(o));
  if (dropped.length) await chrome.permissions.remove({ origins: dropped }).catch(() => false);
  const repos = parseRepos(disabledRepos.value);
  await chrome.storage.local.set({
    minSeverity: minSeverity.value,
    disabledRepos: repos,
    userPacks: userPacks.value,
    fallbackPolicy: fallbackPolicy.value,
    fullFiles: fullFiles.checked,
    instances: inst.instances,
  });
  disabledRepos.value = repos.join('\n');
  instancesBox.value = inst.instances.map((i) => `${i.kind} ${i.origin}`).join('\n');
  // The pages of the listed sites are covered once the service worker has
  // registered its content scripts for them.
  await chrome.runtime.sendMessage({ type: 'br:sync-instances' }).catch(() => null);
  saved.textContent = 'Saved.';
  setTimeout(() => { saved.textContent = ''; }, 2000);
});

// Dismissed findings: counted per repository key (`dismissed:<host>:<repo>`).
const dismissedCount = document.getElementById('dismissedCount');
const forgetDismissed = document.getElementById('forgetDismissed');
async function showDismissed() {
  const all = await chrome.storage.local.get(null);
  const keys = Object.keys(all).filter((k) => k.startsWith('dismissed:'));
  const n = keys.reduce((sum, k) => sum + (all[k] && typeof all[k] === 'object' ? Object.keys(all[k]).length : 0), 0);
  dismissedCount.textContent = n ? `${n} dismissed finding${n === 1 ? '' : 's'} in ${keys.length} repositor${keys.length === 1 ? 'y' : 'ies'}.` : 'No dismissed findings.';
  forgetDismissed.hidden = n === 0;
}
forgetDismissed.addEventListener('click', async () => {
  const all = await chrome.storage.local.get(null);
  await chrome.storage.local.remove(Object.keys(all).filter((k) => k.startsWith('dismissed:')));
  await showDismissed();
});

load();
showDismissed();
