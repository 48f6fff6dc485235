// Self-managed instances (GitHub Enterprise, GitLab, Gitea, Forgejo): what
// the options page accepts and the service worker reads, in one place.

// The kinds a user may add, and the adapter (host entry) each uses.
export const INSTANCE_KINDS = { github: 'github', gitlab: 'gitlab', gitea: 'gitea', forgejo: 'gitea' };
// Sites the extension reads anyway: never an instance.
export const PUBLIC_SITES = new Set([
  'github.com', 'patch-diff.githubusercontent.com', 'raw.githubusercontent.com', 'gitlab.com',
  'codeberg.org', 'gitea.com', 'bitbucket.org', 'api.bitbucket.org',
]);

/**
 * The instance `kind` at `address`: `{instance: {kind, origin}}` for an https
 * site address (no path, query, port or login; not a public site), or
 * `{problem}` saying what is wrong with it.
 */
export function checkInstance(kind, address) {
  if (!Object.hasOwn(INSTANCE_KINDS, kind ?? '')) return { problem: 'expected "github", "gitlab", "gitea" or "forgejo" and an https address' };
  let u = null;
  try {
    u = new URL(String(address));
  } catch {
    u = null;
  }
  if (!u || u.protocol !== 'https:' || u.username || u.password || u.port || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash
    || !/^[a-z0-9.-]{1,253}$/.test(u.hostname)) {
    return { problem: `${address} is not an https site address (no path, port or login)` };
  }
  if (PUBLIC_SITES.has(u.hostname)) return { problem: `${u.hostname} is read without adding it` };
  return { instance: { kind, origin: u.origin } };
}

/**
 * The host names an instance is read from: its own, and for a GitHub
 * Enterprise Server also `raw.<host>` (its raw files with subdomain
 * isolation on).
 */
export function instanceHosts(i) {
  const h = new URL(i.origin).hostname;
  return INSTANCE_KINDS[i.kind] === 'github' ? [h, `raw.${h}`] : [h];
}
