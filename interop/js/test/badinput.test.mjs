// Bad credentials and bad input: each gets its documented Ably error, and nobody else is disturbed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { FORMATS, KEY, PORT, connected, rawSocket, unique, until, rejection } from '../lib/helpers.mjs';

const KEY_NAME = KEY.slice(0, KEY.indexOf(':'));
const SECRET = KEY.slice(KEY.indexOf(':') + 1);

function signedTokenRequest({ timestamp = Date.now(), nonce = crypto.randomBytes(12).toString('hex'), secret = SECRET, clientId } = {}) {
  const text = `${KEY_NAME}\n\n\n${clientId ?? ''}\n${timestamp}\n${nonce}\n`;
  const mac = crypto.createHmac('sha256', secret).update(text).digest('base64');
  return { keyName: KEY_NAME, timestamp, nonce, mac, ...(clientId ? { clientId } : {}) };
}

async function requestToken(body) {
  const res = await fetch(`http://localhost:${PORT}/keys/${encodeURIComponent(KEY_NAME)}/requestToken`, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), code: Number(res.headers.get('x-ably-errorcode')) };
}

function jwt(claims, secret = SECRET) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = b64({ alg: 'HS256', typ: 'JWT', kid: KEY_NAME });
  const body = b64(claims);
  return `${head}.${body}.${crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

describe('token requests over REST', () => {
  it('a valid request gets a token whose capability is a JSON string', async () => {
    const res = await requestToken(signedTokenRequest({ clientId: 'carl' }));
    assert.equal(res.status, 200);
    assert.ok(res.body.token);
    assert.equal(typeof res.body.capability, 'string');
    assert.equal(res.body.clientId, 'carl');
    assert.ok(res.body.expires > res.body.issued);
  });

  it('a forged MAC is 40101', async () => {
    const res = await requestToken(signedTokenRequest({ secret: 'not-the-secret' }));
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 40101);
    assert.equal(res.code, 40101);
  });

  it('a replayed nonce is 40105', async () => {
    const req = signedTokenRequest();
    assert.equal((await requestToken(req)).status, 200);
    const again = await requestToken(req);
    assert.equal(again.body.error.code, 40105);
  });

  it('a stale timestamp is 40104', async () => {
    const res = await requestToken(signedTokenRequest({ timestamp: Date.now() - 10 * 60_000 }));
    assert.equal(res.body.error.code, 40104);
  });

  it('a malformed body is 40000-range, not a crash', async () => {
    const res = await fetch(`http://localhost:${PORT}/keys/${KEY_NAME}/requestToken`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"keyName":',
    });
    assert.equal(res.status, 400);
    assert.equal(Number(res.headers.get('x-ably-errorcode')), 40000);
  });
});

describe('bad credentials on the socket', () => {
  it('an expired JWT gets ERROR 40142 then a normal close', async () => {
    const now = Math.floor(Date.now() / 1000);
    const s = await rawSocket(`access_token=${jwt({ iat: now - 7200, exp: now - 3600 })}`);
    const err = await s.next(9);
    assert.equal(err.error.code, 40142);
    assert.equal((await s.closed()).code, 1000);
  });

  it('a JWT signed with the wrong secret gets ERROR 40143', async () => {
    const now = Math.floor(Date.now() / 1000);
    const s = await rawSocket(`access_token=${jwt({ iat: now, exp: now + 3600 }, 'wrong')}`);
    assert.equal((await s.next(9)).error.code, 40143);
  });

  it('an unknown key gets ERROR 40101', async () => {
    const s = await rawSocket('key=nosuch.key:secret');
    const err = await s.next(9);
    assert.equal(err.error.code, 40101);
    assert.equal(err.error.statusCode, 401);
  });

  it('an expired token makes ably-js renew it and stay connected', async () => {
    // authCallback hands out a 3 s token first; the server asks for renewal (AUTH) before it expires.
    let calls = 0;
    const rt = await connected(FORMATS[0], {
      key: undefined,
      authCallback: (_p, cb) => {
        calls += 1;
        const now = Math.floor(Date.now() / 1000);
        cb(null, jwt({ iat: now, exp: now + (calls === 1 ? 3 : 3600), 'x-ably-clientId': 'renewer' }));
      },
    });
    const id = rt.connection.id;
    await until(() => calls >= 2, 'token renewed', 20_000);
    await until(() => rt.connection.state === 'connected', 'still connected');
    assert.equal(rt.connection.id, id);
    await rt.channels.get(unique('renewed')).publish('n', 'after renewal');
    rt.close();
  });
});

for (const format of FORMATS) {
  describe(`bad input through ably-js (${format.name})`, () => {
    it('an oversized message is rejected with 40009 and the connection stays up', async () => {
      const rt = await connected(format);
      const err = await rejection(rt.channels.get(unique('big')).publish('big', 'x'.repeat(70_000)));
      assert.equal(err.code, 40009);
      assert.equal(rt.connection.state, 'connected');
      await rt.channels.get(unique('small')).publish('small', 'ok');
    });

    it('an invalid channel name fails the channel with 40010', async () => {
      const rt = await connected(format);
      const err = await rejection(rt.channels.get(':starts-with-colon').attach());
      assert.equal(err.code, 40010);
      assert.equal(rt.connection.state, 'connected');
    });
  });
}

describe('malformed frames', () => {
  it('a malformed frame closes only the offender, with ERROR 40000 and code 1000', async () => {
    const bystander = await connected(FORMATS[0]);
    const bad = await rawSocket(`key=${encodeURIComponent(KEY)}`);
    await bad.next(4);
    bad.send('{"action":15,"channel":');
    assert.equal((await bad.next(9)).error.code, 40000);
    assert.equal((await bad.closed()).code, 1000);
    await bystander.connection.ping();
    assert.equal(bystander.connection.state, 'connected');
  });
});
