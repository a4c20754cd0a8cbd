// Connection, channels, pub/sub, auth and resume, through real ably-js, in JSON and msgpack.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  FORMATS, KEY, LIMITED_KEY, OTHER_APP_KEY, connected, rest, unique, until, rejection, tcpProxy, timeline,
} from '../lib/helpers.mjs';

function jwt(claims, keyName, secret) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = b64({ alg: 'HS256', typ: 'JWT', kid: keyName });
  const body = b64(claims);
  const sig = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}
const [KEY_NAME, KEY_SECRET] = [KEY.slice(0, KEY.indexOf(':')), KEY.slice(KEY.indexOf(':') + 1)];

for (const format of FORMATS) {
  describe(`core (${format.name})`, () => {
    it('connects, learns its id, key and clientId, and pings', async () => {
      const rt = await connected(format, { clientId: 'alice' });
      assert.ok(rt.connection.id);
      assert.ok(rt.connection.key);
      assert.equal(rt.auth.clientId, 'alice');
      const rtt = await rt.connection.ping();
      assert.equal(typeof rtt, 'number');
      rt.close();
    });

    it('publishes and subscribes between two clients, with string, JSON and binary data', async () => {
      const name = unique('pubsub');
      const sub = await connected(format, { clientId: 'sub' });
      const pub = await connected(format, { clientId: 'pub' });
      const got = [];
      const subCh = sub.channels.get(name);
      await subCh.subscribe((m) => got.push(m));
      const pubCh = pub.channels.get(name);
      await pubCh.publish('text', 'hello');
      await pubCh.publish('json', { a: 1, b: [true, null] });
      await pubCh.publish('bin', Buffer.from([1, 2, 3, 255]));
      await until(() => got.length === 3, 'three messages');
      assert.equal(got[0].data, 'hello');
      assert.deepEqual(got[1].data, { a: 1, b: [true, null] });
      assert.deepEqual([...got[2].data], [1, 2, 3, 255]);
      for (const m of got) {
        assert.equal(m.clientId, 'pub');
        assert.equal(m.connectionId, pub.connection.id);
        assert.ok(m.id.startsWith(`${pub.connection.id}:`), m.id);
        assert.ok(m.timestamp > 0);
      }
      sub.close();
      pub.close();
    });

    it('honours echoMessages: false', async () => {
      const name = unique('echo');
      const me = await connected(format, { clientId: 'me', echoMessages: false });
      const other = await connected(format, { clientId: 'other' });
      const got = [];
      await me.channels.get(name).subscribe((m) => got.push(m.name));
      await me.channels.get(name).publish('mine', 'x');
      await other.channels.get(name).publish('theirs', 'y');
      await until(() => got.length === 1, 'the other client\'s message');
      assert.deepEqual(got, ['theirs']);
      me.close();
      other.close();
    });

    it('denies what the capability does not allow, failing the operation and not the connection', async () => {
      const rt = await connected(format, { key: LIMITED_KEY });
      const ch = rt.channels.get(unique('open'));
      await ch.attach();
      const err = await rejection(ch.publish('x', 'y'));
      assert.equal(err.code, 40160);
      await rt.channels.get(unique('pub:ok')).publish('x', 'y');
      assert.equal(rt.connection.state, 'connected');
      rt.close();
    });

    it('fails an attach to a channel outside a token\'s capability with 40160', async () => {
      const rt = await connected(format, { useTokenAuth: true, defaultTokenParams: { capability: { allowed: ['subscribe'] } } });
      const ch = rt.channels.get('forbidden');
      const err = await rejection(ch.attach());
      assert.equal(err.code, 40160);
      assert.equal(ch.state, 'failed');
      assert.equal(rt.connection.state, 'connected');
      await rt.channels.get('allowed').attach();
      rt.close();
    });

    it('authenticates with a signed token request', async () => {
      const rt = await connected(format, { useTokenAuth: true, clientId: 'tok' });
      assert.equal(rt.auth.clientId, 'tok');
      assert.ok(rt.auth.tokenDetails.token);
      await rt.channels.get(unique('tok')).attach();
      rt.close();
    });

    it('authenticates with a JWT from an authCallback and learns its clientId from CONNECTED', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = jwt({ iat: now, exp: now + 3600, 'x-ably-capability': '{"*":["*"]}', 'x-ably-clientId': 'jwt-user' },
        KEY_NAME, KEY_SECRET);
      const rt = await connected(format, { key: undefined, authCallback: (_p, cb) => cb(null, token) });
      assert.equal(rt.auth.clientId, 'jwt-user');
      await rt.channels.get(unique('jwt')).attach();
      rt.close();
    });

    it('keeps apps apart: same channel name, different app, nothing crosses', async () => {
      const name = unique('iso');
      const mine = await connected(format);
      const theirs = await connected(format, { key: OTHER_APP_KEY });
      const mineGot = [];
      const theirsGot = [];
      await mine.channels.get(name).subscribe((m) => mineGot.push(m.data));
      await theirs.channels.get(name).subscribe((m) => theirsGot.push(m.data));
      await theirs.channels.get(name).publish('n', 'other-app');
      await mine.channels.get(name).publish('n', 'my-app');
      await until(() => mineGot.length === 1 && theirsGot.length === 1, 'one message each');
      assert.deepEqual(mineGot, ['my-app']);
      assert.deepEqual(theirsGot, ['other-app']);
      mine.close();
      theirs.close();
    });

    it('serves REST time, REST publish (single and batch) to realtime subscribers, and 40400 for unknown routes', async () => {
      const client = rest(format);
      const t = await client.time();
      assert.ok(Math.abs(t - Date.now()) < 60_000);
      const name = unique('rest');
      const sub = await connected(format);
      const got = [];
      await sub.channels.get(name).subscribe((m) => got.push(m.data));
      await client.channels.get(name).publish('one', 'single');
      await client.channels.get(name).publish([{ name: 'a', data: 'batch-1' }, { name: 'b', data: { x: 2 } }]);
      await until(() => got.length === 3, 'three REST messages');
      assert.deepEqual(got, ['single', 'batch-1', { x: 2 }]);
      const res = await client.request('GET', '/no/such/route', 6);
      assert.equal(res.statusCode, 404);
      assert.equal(res.errorCode, 40400);
      sub.close();
    });

    it('resumes after a dropped transport with its connectionId and every message, in order', async () => {
      const proxy = await tcpProxy();
      // What the subscriber saw, with times: printed on failure, so a rare failure says which message was
      // late and what the SDK did (state changes with reasons, and every protocol message in and out).
      const trace = timeline();
      try {
        const name = unique('resume');
        const sub = await connected(format, { port: proxy.port, clientId: 'sub', ...trace.sdkLog });
        const pub = await connected(format, { clientId: 'pub' });
        const got = [];
        const channel = sub.channels.get(name);
        trace.follow(sub.connection, 'connection');
        trace.follow(channel, 'channel');
        await channel.subscribe((m) => { got.push(m.data); trace.note(`got ${m.data}`); });
        const id = sub.connection.id;
        let dropped = false;
        sub.connection.on('disconnected', () => { dropped = true; });
        trace.note('cut');
        proxy.cut();
        const sent = [];
        for (let i = 0; i < 20; i += 1) {
          sent.push(`m${i}`);
          await pub.channels.get(name).publish('n', `m${i}`);
          trace.note(`published m${i}`);
        }
        await trace.explain(async () => {
          await until(() => got.length >= 20 && sub.connection.state === 'connected', 'all 20 messages after resume');
          assert.ok(dropped, 'the client saw its transport drop');
          assert.deepEqual(got, sent);
          assert.equal(sub.connection.id, id);
        }, () => `got ${JSON.stringify(got)}`);
        sub.close();
        pub.close();
      } finally {
        proxy.close();
      }
    });
  });
}
