// Options: minimum severity and per-repository opt-out, kept in storage.local.
const SEVERITIES = ['info', 'warning', 'high', 'critical'];
const form = document.getElementById('form');
const minSeverity = document.getElementById('minSeverity');
const disabledRepos = document.getElementById('disabledRepos');
const saved = document.getElementById('saved');

function parseRepos(text) {
  return [...new Set(text.split(/\s+/).map((s) => s.trim()).filter((s) => /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(s)))];
}

async function load() {
  const o = await chrome.storage.local.get({ minSeverity: 'info', disabledRepos: [] });
  minSeverity.value = SEVERITIES.includes(o.minSeverity) ? o.minSeverity : 'info';
  disabledRepos.value = (Array.isArray(o.disabledRepos) ? o.disabledRepos : []).join('\n');
  document.getElementById('engine').textContent = `Version ${chrome.runtime.getManifest().version}`;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const repos = parseRepos(disabledRepos.value);
  await chrome.storage.local.set({ minSeverity: minSeverity.value, disabledRepos: repos });
  disabledRepos.value = repos.join('\n');
  saved.textContent = 'Saved.';
  setTimeout(() => { saved.textContent = ''; }, 2000);
});

load();
