// A local HTTPS (or HTTP) server for browser tests. Chromium is started with
// --host-resolver-rules mapping github.com and patch-diff.githubusercontent.com
// to it, so the extension runs through its real match patterns and host
// permissions. The certificate is self-signed, generated at test time with
// openssl; Chromium runs with --ignore-certificate-errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Generates a throwaway self-signed certificate: {key, cert} (PEM). */
export function selfSignedCert(hosts = ['github.com', 'patch-diff.githubusercontent.com']) {
  const dir = mkdtempSync(join(tmpdir(), 'br-cert-'));
  const san = [...hosts.map((h) => `DNS:${h}`), 'IP:127.0.0.1'].join(',');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-subj', `/CN=${hosts[0]}`, '-addext', `subjectAltName=${san}`,
  ], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}

/**
 * Starts a server on 127.0.0.1 (random port). `handler(req)` returns
 * {status?, headers?, body} or null for 404. Every request is logged in
 * `server.log` as {host, method, path}.
 */
export async function startServer({ tls = true, handler }) {
  const log = [];
  const onRequest = async (req, res) => {
    const host = (req.headers.host || '').replace(/:\d+$/, '');
    log.push({ host, method: req.method, path: req.url });
    try {
      const r = await handler({ host, method: req.method, path: req.url, headers: req.headers });
      if (!r) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(r.status || 200, r.headers || {});
      res.end(r.body ?? '');
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e && e.stack ? e.stack : e));
    }
  };
  const server = tls ? https.createServer(selfSignedCert(), onRequest) : http.createServer(onRequest);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    log,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(resolve);
    }),
  };
}
