// Ably protocol fidelity through real ably-js: channel modes (params.modes, defaults), token expiry timing,
// recover (RTN16), batch REST, and apps made through the sandbox API (POST /apps), in JSON and msgpack.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as Ably from 'ably';
import {
  FORMATS, KEY, PORT, connected, realtime, rest, unique, until, rejection,
} from '../lib/helpers.mjs';

const SANDBOX = `http://localhost:${PORT}`;

/** A sandbox app, as ably-js's own test harness makes one (the post_apps shape of test-app-setup.json). */
async function createApp(spec) {
  const res = await fetch(`${SANDBOX}/apps`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(spec),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

async function deleteApp(app) {
  const res = await fetch(`${SANDBOX}/apps/${app.appId}`, {
    method: 'DELETE',
    headers: { Authorization: `Basic ${Buffer.from(app.keys[0].keyStr).toString('base64')}` },
  });
  return res.status;
}

/** Options for a client of a sandbox app, routed where the sandbox said (endpoint, port, tls). */
function appOptions(app, format, extra = {}) {
  return {
    endpoint: app.endpoint,
    port: app.port,
    tls: app.tls,
    disableConnectivityCheck: true,
    fallbackHosts: [],
    useBinaryProtocol: format.useBinaryProtocol,
    logLevel: 0,
    ...extra,
  };
}

const CAPS = {
  channel0: ['publish'],
  channel3: ['subscribe'],
  channel4: ['presence', 'publish', 'subscribe'],
  channel5: ['presence'],
};

for (const format of FORMATS) {
  describe(`fidelity (${format.name})`, () => {
    it('grants exactly params.modes on ATTACH, and params.modes wins over mode flags', async () => {
      const rt = await connected(format, { clientId: 'modes' });
      const subOnly = rt.channels.get(unique('modes'), { params: { modes: 'subscribe', nonexistent: 'x' } });
      await subOnly.attach();
      assert.deepEqual(subOnly.modes, ['subscribe']);
      assert.deepEqual(subOnly.params, { modes: 'subscribe' }, 'unknown params are not echoed');
      const pubErr = await rejection(subOnly.publish('n', 'd'));
      assert.equal(pubErr.code, 40160);
      const enterErr = await rejection(subOnly.presence.enter());
      assert.equal(enterErr.code, 40160);

      const both = rt.channels.get(unique('modes'), {
        params: { modes: 'presence,subscribe' },
        modes: ['publish', 'presence_subscribe'],
      });
      await both.attach();
      assert.deepEqual(both.modes, ['presence', 'subscribe']);
      await both.presence.enter('here');
      assert.equal((await rejection(both.publish('n', 'd'))).code, 40160);
      rt.close();
    });

    it('grants Ably\'s default modes, annotation_publish included, to an ATTACH that names none', async () => {
      const rt = await connected(format);
      const ch = rt.channels.get(unique('default-modes'));
      await ch.attach();
      assert.deepEqual(ch.modes, ['presence', 'publish', 'subscribe', 'presence_subscribe', 'annotation_publish']);
      rt.close();
    });

    it('lets a short token live to its expiry: no early AUTH, DISCONNECTED 40142 at expiry, then FAILED 40171 with no way to renew', async () => {
      const tokenDetails = await rest(format).auth.requestToken({ ttl: 3000, clientId: 'short' });
      const rt = realtime(format, { key: undefined, token: tokenDetails.token, clientId: 'short' });
      const states = [];
      rt.connection.on((change) => states.push({ state: change.current, code: change.reason?.code, at: Date.now() }));
      await rt.connection.once('connected');
      const failed = await rt.connection.once('failed');
      assert.equal(failed.reason.code, 40171);
      const disconnected = states.find((s) => s.state === 'disconnected');
      assert.ok(disconnected, JSON.stringify(states));
      assert.equal(disconnected.code, 40142);
      assert.ok(disconnected.at >= tokenDetails.expires - 250, `disconnected ${tokenDetails.expires - disconnected.at} ms before expiry`);
      assert.equal(states.filter((s) => s.state === 'failed').length, 1, JSON.stringify(states));
      assert.ok(states.findIndex((s) => s.state === 'failed') > states.indexOf(disconnected));
    });

    it('recovers a connection with its id and a new key; the old client is told and stops holding it', async () => {
      const name = unique('recover');
      const first = await connected(format, { clientId: 'r' });
      await first.channels.get(name).attach();
      const { id, key } = { id: first.connection.id, key: first.connection.key };
      const oldDisconnected = first.connection.once('disconnected');
      const second = realtime(format, { clientId: 'r', recover: first.connection.recoveryKey });
      const change = await second.connection.once('connected');
      assert.ok(!change.reason, `recovered without error: ${change.reason?.code}`);
      assert.equal(second.connection.id, id);
      assert.notEqual(second.connection.key, key);
      await oldDisconnected;
      // The old client comes back as a new connection (80008); the recovered one keeps its id: no stealing.
      const back = await first.connection.once('connected');
      assert.equal(back.reason?.code, 80008);
      assert.notEqual(first.connection.id, id);
      const pub = await connected(format);
      const got = [];
      await second.channels.get(name).subscribe((m) => got.push(m.data));
      await pub.channels.get(name).publish('n', 'after-recover');
      await until(() => got.includes('after-recover'), 'a message on the recovered connection');
      assert.equal(second.connection.id, id);
      assert.equal(second.connection.state, 'connected');
      pub.close();
      first.close();
      second.close();
    });

    it('answers an invalid recovery key with a new connection and 80018', async () => {
      const recover = JSON.stringify({ connectionKey: '_____!ablyjs_test_fake-key____', msgSerial: 3, channelSerials: {} });
      const rt = realtime(format, { recover });
      const change = await rt.connection.once('connected');
      assert.equal(change.reason?.code, 80018);
      assert.ok(!rt.connection.key.includes('ablyjs_test_fake'));
      rt.close();
    });

    it('provisions an app through POST /apps: keys with capabilities, namespaces, presence fixtures; DELETE ends it', async () => {
      const app = await createApp({
        keys: [{}, { capability: JSON.stringify(CAPS) }],
        namespaces: [{ id: 'persisted', persisted: true }],
        channels: [{
          name: 'persisted:fixtures',
          presence: [
            { clientId: 'client_string', data: 'a string' },
            { clientId: 'client_decoded', data: '{"example":{"json":"Object"}}', encoding: 'json' },
          ],
        }],
      });
      assert.equal(app.keys.length, 2);
      assert.equal(app.namespaces.length, 1);
      assert.equal(app.namespaces[0].id, 'persisted');
      assert.equal(app.tls, false);
      assert.deepEqual(JSON.parse(app.keys[0].capability), { '*': ['*'] });
      assert.equal(app.keys[1].keyStr, `${app.keys[1].keyName}:${app.keys[1].keySecret}`);

      const limited = new Ably.Rest(appOptions(app, format, { key: app.keys[1].keyStr }));
      const token = await limited.auth.requestToken();
      assert.deepEqual(JSON.parse(token.capability), JSON.parse(app.keys[1].capability));

      const fixtures = await new Ably.Rest(appOptions(app, format, { key: app.keys[0].keyStr }))
        .channels.get('persisted:fixtures').presence.get();
      const byClient = Object.fromEntries(fixtures.items.map((m) => [m.clientId, m]));
      assert.equal(fixtures.items.length, 2);
      assert.equal(byClient.client_string.data, 'a string');
      assert.deepEqual(byClient.client_decoded.data, { example: { json: 'Object' } });
      assert.equal(byClient.client_string.connectionId, byClient.client_decoded.connectionId);

      const rt = new Ably.Realtime(appOptions(app, format, { key: app.keys[0].keyStr }));
      await rt.connection.once('connected');
      const failed = rt.connection.once('failed');
      assert.equal(await deleteApp(app), 200);
      assert.equal((await failed).reason.code, 40101);
      const gone = await rejection(new Ably.Rest(appOptions(app, format, { key: app.keys[0].keyStr }))
        .channels.get('x').presence.get());
      assert.equal(gone.code, 40101);
      assert.equal(await deleteApp(app), 404, 'gone');
    });

    it('batch-publishes with a result per channel, failures included (rest.batchPublish)', async () => {
      const app = await createApp({ keys: [{}, { capability: JSON.stringify(CAPS) }] });
      try {
        const limited = new Ably.Rest(appOptions(app, format, { key: app.keys[1].keyStr }));
        const sub = new Ably.Realtime(appOptions(app, format, { key: app.keys[0].keyStr }));
        const got = [];
        await sub.channels.get('channel0').subscribe((m) => got.push(m.data));
        await sub.channels.get('channel4').subscribe((m) => got.push(m.data));
        const results = await limited.batchPublish([
          { channels: ['channel0', 'channel3'], messages: [{ data: 'message1' }, { data: 'message2' }] },
          { channels: ['channel4', 'channel5'], messages: { name: 'one', data: { n: 3 } } },
        ]);
        assert.equal(results.length, 2);
        assert.equal(results[0].successCount, 1);
        assert.equal(results[0].failureCount, 1);
        assert.equal(results[0].results[0].channel, 'channel0');
        assert.ok(results[0].results[0].messageId);
        assert.ok(!('error' in results[0].results[0]));
        assert.equal(results[0].results[1].channel, 'channel3');
        assert.ok(!('messageId' in results[0].results[1]));
        assert.equal(results[0].results[1].error.statusCode, 401);
        assert.equal(results[0].results[1].error.code, 40160);
        assert.equal(results[1].results[0].channel, 'channel4');
        assert.equal(results[1].results[1].error.statusCode, 401);
        const single = await limited.batchPublish({ channels: ['channel0'], messages: [{ data: 'message5' }] });
        assert.equal(single.successCount, 1);
        // API version 2 (rest.request with an explicit version) gets the older flat list of channel results.
        const v2 = await limited.request('POST', '/messages', 2, {}, { channels: ['channel0', 'channel4'], messages: { data: 'v2' } }, {});
        assert.equal(v2.statusCode, 201);
        assert.deepEqual(v2.items.map((r) => r.channel), ['channel0', 'channel4']);
        assert.ok(v2.items.every((r) => r.messageId && !r.error));
        await until(() => got.length === 6, 'six delivered messages');
        assert.deepEqual(got, ['message1', 'message2', { n: 3 }, 'message5', 'v2', 'v2']);
        sub.close();
      } finally {
        await deleteApp(app);
      }
    });

    it('fetches presence of many channels at once, failures included (rest.batchPresence)', async () => {
      const app = await createApp({ keys: [{}, { capability: JSON.stringify(CAPS) }] });
      try {
        const enterer = new Ably.Realtime(appOptions(app, format, { key: app.keys[0].keyStr, clientId: 'batchPresenceTest' }));
        await enterer.channels.get('channel3').presence.enter('three');
        await enterer.channels.get('channel4').presence.enter('four');
        const limited = new Ably.Rest(appOptions(app, format, { key: app.keys[1].keyStr }));
        const result = await limited.batchPresence(['channel0', 'channel3', 'channel4']);
        assert.equal(result.successCount, 2);
        assert.equal(result.failureCount, 1);
        assert.equal(result.results[0].channel, 'channel0');
        assert.ok(!('presence' in result.results[0]));
        assert.equal(result.results[0].error.statusCode, 401);
        assert.equal(result.results[1].presence.length, 1);
        assert.equal(result.results[1].presence[0].clientId, 'batchPresenceTest');
        assert.equal(result.results[1].presence[0].data, 'three');
        assert.equal(result.results[2].presence[0].data, 'four');
        assert.ok(!('error' in result.results[2]));
        enterer.close();
      } finally {
        await deleteApp(app);
      }
    });
  });
}

describe('sandbox API input', () => {
  it('refuses a malformed spec with 40000 and keeps serving', async () => {
    const res = await fetch(`${SANDBOX}/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"keys":[{"capability":"{\\"*\\":[\\"fly\\"]}"}]}' });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, 40000);
    const unknown = await fetch(`${SANDBOX}/apps/nosuchapp`, { method: 'DELETE' });
    assert.equal(unknown.status, 404);
    const ok = await createApp({ keys: [{}] });
    assert.equal(ok.keys.length, 1);
    assert.notEqual(ok.keys[0].keyStr, KEY);
    assert.equal(await deleteApp(ok), 200);
  });
});
