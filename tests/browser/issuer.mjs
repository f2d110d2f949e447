// A small OpenID Connect issuer for the browser test, with its own RSA key: discovery, JWKS, a
// login form at the authorization endpoint (any user name, no password), the token endpoint
// (client secret and code checked) and end-session. Usage: node issuer.mjs PORT CLIENT_ID SECRET
import { createServer } from 'node:http';
import { generateKeyPairSync, sign, randomUUID } from 'node:crypto';

const [port, clientId, secret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}/realms/test`;
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
const codes = new Map();

const b64 = (s) => Buffer.from(s).toString('base64url');
function jwt(claims) {
  const head = b64(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }));
  const body = b64(JSON.stringify(claims));
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), privateKey).toString('base64url');
  return `${head}.${body}.${sig}`;
}
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const json = (res, status, body) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};
const readBody = (req) =>
  new Promise((ok) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => ok(new URLSearchParams(b)));
  });

createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  const path = url.pathname.replace('/realms/test', '');
  if (path === '/.well-known/openid-configuration') {
    return json(res, 200, {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      end_session_endpoint: `${issuer}/logout`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  }
  if (path === '/jwks') return json(res, 200, { keys: [jwk] });
  if (path === '/authorize' && req.method === 'GET') {
    if (url.searchParams.get('client_id') !== clientId) return json(res, 400, { error: 'invalid_client' });
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    const hidden = [...url.searchParams].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    return res.end(`<!DOCTYPE html><meta charset="utf-8"><title>Sign in · Test issuer</title><h1>Sign in</h1>
      <form method="post" action="${issuer}/authorize">${hidden}
      <label for="username">User name</label> <input id="username" name="username">
      <button type="submit">Sign in</button></form>`);
  }
  if (path === '/authorize' && req.method === 'POST') {
    const f = await readBody(req);
    const code = randomUUID();
    codes.set(code, { user: f.get('username'), nonce: f.get('nonce'), redirect: f.get('redirect_uri') });
    const to = new URL(f.get('redirect_uri'));
    to.searchParams.set('code', code);
    if (f.get('state')) to.searchParams.set('state', f.get('state'));
    res.writeHead(302, { Location: to.toString() });
    return res.end();
  }
  if (path === '/token' && req.method === 'POST') {
    const f = await readBody(req);
    const basic = 'Basic ' + Buffer.from(`${clientId}:${secret}`).toString('base64');
    const clientOk = req.headers.authorization === basic || (f.get('client_id') === clientId && f.get('client_secret') === secret);
    if (!clientOk) return json(res, 401, { error: 'invalid_client' });
    const grant = codes.get(f.get('code'));
    codes.delete(f.get('code'));
    if (!grant || grant.redirect !== f.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant' });
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, sub: grant.user, aud: clientId, iat: now, exp: now + 600, preferred_username: grant.user };
    return json(res, 200, {
      access_token: jwt(claims),
      id_token: jwt(grant.nonce ? { ...claims, nonce: grant.nonce } : claims),
      token_type: 'Bearer',
      expires_in: 600,
    });
  }
  if (path === '/logout') {
    const back = url.searchParams.get('post_logout_redirect_uri');
    if (back) {
      res.writeHead(302, { Location: back });
      return res.end();
    }
    return json(res, 200, { loggedOut: true });
  }
  json(res, 404, { error: 'not_found' });
}).listen(Number(port), '127.0.0.1', () => console.log(`issuer ${issuer}`));
