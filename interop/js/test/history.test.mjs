// Message and presence history, untilAttach, rewind and connection state kept past the presence grace
// period, through real ably-js, in JSON and msgpack.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FORMATS, LIMITED_KEY, connected, rest, unique, until, rejection, tcpProxy,
} from '../lib/helpers.mjs';

const datas = (page) => page.items.map((m) => m.data);

for (const format of FORMATS) {
  describe(`history (${format.name})`, () => {
    it('pages message history backwards and forwards through Link headers', async () => {
      const name = unique('history');
      const rt = await connected(format, { clientId: 'writer' });
      const ch = rt.channels.get(name);
      for (let i = 0; i < 5; i += 1) {
        await ch.publish('n', `m${i}`);
      }
      await ch.publish('bin', Buffer.from([7, 8, 255]));
      let page = await ch.history({ limit: 2 });
      assert.equal(page.items[0].name, 'bin');
      assert.deepEqual([...page.items[0].data], [7, 8, 255]);
      assert.equal(page.items[0].clientId, 'writer');
      assert.equal(page.items[0].connectionId, rt.connection.id);
      assert.deepEqual(datas(page).slice(1), ['m4']);
      assert.ok(page.hasNext());
      page = await page.next();
      assert.deepEqual(datas(page), ['m3', 'm2']);
      page = await page.next();
      assert.deepEqual(datas(page), ['m1', 'm0']);
      assert.ok(page.isLast());
      const fwd = await rest(format).channels.get(name).history({ direction: 'forwards', limit: 4 });
      assert.deepEqual(datas(fwd), ['m0', 'm1', 'm2', 'm3']);
      const first = await (await fwd.next()).first();
      assert.deepEqual(datas(first), ['m0', 'm1', 'm2', 'm3']);
      const all = await rest(format).channels.get(name).history({ direction: 'forwards' });
      const t2 = all.items[2].timestamp;
      const since = await rest(format).channels.get(name).history({ start: t2, direction: 'forwards' });
      // Exactly the messages stamped at or after start (several may share a millisecond).
      assert.deepEqual(datas(since), datas(all).filter((d, i) => all.items[i].timestamp >= t2));
      assert.ok(datas(since).includes('m2'));
    });

    it('keeps presence history: enter, update, leave', async () => {
      const name = unique('history-presence');
      const rt = await connected(format, { clientId: 'pat' });
      const ch = rt.channels.get(name);
      await ch.presence.enter('hi');
      await ch.presence.update('busy');
      await ch.presence.leave('bye');
      const page = await until(async () => {
        const p = await rest(format).channels.get(name).presence.history();
        return p.items.length === 3 && p;
      }, 'three presence events');
      assert.deepEqual(page.items.map((p) => `${p.action}/${p.data}`), ['leave/bye', 'update/busy', 'enter/hi']);
    });

    it('needs the history capability (40160)', async () => {
      const err = await rejection(rest(format, { key: LIMITED_KEY }).channels.get(unique('history-denied')).history());
      assert.equal(err.code, 40160);
    });

    it('reads history up to the attach point with untilAttach; later messages arrive live', async () => {
      const name = unique('until-attach');
      const r = rest(format);
      for (let i = 0; i < 3; i += 1) {
        await r.channels.get(name).publish('pre', `pre${i}`);
      }
      const rt = await connected(format, { clientId: 'reader' });
      const ch = rt.channels.get(name);
      const live = [];
      await ch.subscribe((m) => live.push(m.data));
      for (let i = 0; i < 2; i += 1) {
        await r.channels.get(name).publish('post', `post${i}`);
      }
      await until(() => live.length === 2, 'two live messages');
      const until_ = await ch.history({ untilAttach: true });
      assert.deepEqual(datas(until_), ['pre2', 'pre1', 'pre0']);
      const all = await ch.history();
      assert.deepEqual(datas(all), ['post1', 'post0', 'pre2', 'pre1', 'pre0']);
      const presence = await ch.presence.history({ untilAttach: true });
      assert.deepEqual(presence.items, []);
    });

    it('rewinds by count and by time right after ATTACHED, then goes live', async () => {
      const name = unique('rewind');
      const r = rest(format);
      for (let i = 0; i < 5; i += 1) {
        await r.channels.get(name).publish('old', `old${i}`);
      }
      const rt = await connected(format, { clientId: 'rewinder' });
      const ch = rt.channels.get(name, { params: { rewind: '2' } });
      const got = [];
      await ch.subscribe((m) => got.push(m.data));
      assert.equal(ch.params.rewind, '2');
      await r.channels.get(name).publish('new', 'new0');
      await until(() => got.length === 3, 'two rewound and one live');
      assert.deepEqual(got, ['old3', 'old4', 'new0']);

      const rt2 = await connected(format, { clientId: 'rewinder2' });
      const timed = rt2.channels.get(name, { params: { rewind: '30s' } });
      const got2 = [];
      await timed.subscribe((m) => got2.push(m.data));
      await until(() => got2.length === 6, 'every message of the last 30 s');
      assert.deepEqual(got2, ['old0', 'old1', 'old2', 'old3', 'old4', 'new0']);
    });

    it('flags HAS_BACKLOG only when the rewind reaches history, and does not rewind an ATTACH_RESUME re-attach', async () => {
      const name = unique('backlog');
      const rt = await connected(format);
      const empty = await rt.channels.get(unique('backlog-none'), { params: { rewind: '1' } }).attach();
      assert.equal(empty.hasBacklog, false, 'nothing in history: no backlog');
      await rest(format).channels.get(name).publish('old', 'old0');
      const change = await rt.channels.get(name, { params: { rewind: '1' } }).attach();
      assert.equal(change.hasBacklog, true, 'a message in history: backlog');

      // A re-attach that says it continues (ATTACH_RESUME, RTL4j) gets no rewound message.
      const resumer = await connected(format);
      const send = resumer.connection.connectionManager.send;
      resumer.connection.connectionManager.send = function (msg, ...rest) {
        msg.setFlag('ATTACH_RESUME');
        return send.call(this, msg, ...rest);
      };
      const ch = resumer.channels.get(name, { params: { rewind: '1' } });
      const got = [];
      const attached = await ch.subscribe((m) => got.push(m.data));
      assert.equal(attached.hasBacklog, false);
      await rest(format).channels.get(name).publish('new', 'new0');
      await until(() => got.length === 1, 'the live message');
      assert.deepEqual(got, ['new0'], 'the old message is not rewound');
    });

    it('refuses an invalid rewind with 40000 on the channel only', async () => {
      const rt = await connected(format);
      const err = await rejection(rt.channels.get(unique('rewind-bad'), { params: { rewind: 'soon' } }).attach());
      assert.equal(err.code, 40000);
      assert.equal(rt.connection.state, 'connected');
    });

    it('resumes the same connection after the presence grace period with every message once, and re-enters', async () => {
      const name = unique('ttl');
      const proxy = await tcpProxy();
      try {
        const watcher = await connected(format, { clientId: 'watcher' });
        const watch = watcher.channels.get(name);
        const seen = [];
        await watch.presence.subscribe((p) => seen.push(p));
        const away = await connected(format, { clientId: 'away', port: proxy.port, disconnectedRetryTimeout: 200 });
        const ch = away.channels.get(name);
        const got = [];
        await ch.subscribe((m) => got.push(m.data));
        await ch.presence.enter('here');
        const id = away.connection.id;
        await until(() => seen.length === 1, 'enter');
        proxy.refuse(true);
        proxy.cut();
        const sent = [];
        for (let i = 0; i < 3; i += 1) {
          await watch.publish('n', `a${i}`);
          sent.push(`a${i}`);
        }
        await until(() => seen.length === 2, 'its member left after the grace period');
        assert.equal(seen[1].action, 'leave');
        for (let i = 0; i < 3; i += 1) {
          await watch.publish('n', `b${i}`);
          sent.push(`b${i}`);
        }
        proxy.refuse(false);
        await until(() => away.connection.state === 'connected' && got.length >= sent.length, 'resumed with everything');
        assert.equal(away.connection.id, id);
        assert.deepEqual(got, sent);
        await until(() => seen.length === 3, 're-entered');
        assert.equal(seen[2].action, 'enter');
        assert.equal(seen[2].connectionId, id);
      } finally {
        proxy.close();
      }
    });
  });
}
