// Occupancy through @ably/chat rooms and ably-js channels and REST, in JSON and msgpack.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OccupancyEventType } from '@ably/chat';
import { FORMATS, LIMITED_KEY, chatClient, connected, rest, unique, until, rejection } from '../lib/helpers.mjs';

for (const format of FORMATS) {
  describe(`@ably/chat room.occupancy (${format.name})`, () => {
    it('get() works without attaching and answers {0,0} for an empty room', async () => {
      const { chat } = chatClient(format, { clientId: 'o1' });
      const room = await chat.rooms.get(unique('occ-empty'));
      assert.deepEqual(await room.occupancy.get(), { connections: 0, presenceMembers: 0 });
    });

    it('subscribe() with enableEvents: current is undefined before the first event and the last event after', async () => {
      const name = unique('occ-live');
      const a = chatClient(format, { clientId: 'watcher' });
      const room = await a.chat.rooms.get(name, { occupancy: { enableEvents: true } });
      assert.equal(room.occupancy.current, undefined);
      const events = [];
      const sub = room.occupancy.subscribe((e) => events.push(e));
      await room.attach();
      await until(() => events.length >= 1, 'first occupancy event');
      assert.equal(events[0].type, OccupancyEventType.Updated);
      assert.deepEqual(events[0].occupancy, { connections: 1, presenceMembers: 0 });

      const b = chatClient(format, { clientId: 'joiner' });
      const roomB = await b.chat.rooms.get(name);
      await roomB.attach();
      await roomB.presence.enter({ hi: true });
      await until(() => {
        const last = events[events.length - 1];
        return last.occupancy.connections === 2 && last.occupancy.presenceMembers === 1;
      }, 'two connections and one member');
      assert.deepEqual(room.occupancy.current, events[events.length - 1].occupancy);
      assert.deepEqual(await room.occupancy.get(), { connections: 2, presenceMembers: 1 });

      sub.unsubscribe();
      const count = events.length;
      await roomB.presence.leave();
      // The room's cached value keeps following events; the unsubscribed listener does not.
      await until(() => room.occupancy.current?.presenceMembers === 0, 'current follows the leave');
      assert.equal(events.length, count);
    });

    it('subscribe() and current without enableEvents fail with 102108', async () => {
      const { chat } = chatClient(format, { clientId: 'o3' });
      const room = await chat.rooms.get(unique('occ-off'));
      assert.throws(() => room.occupancy.subscribe(() => {}), (e) => e.code === 102108);
      assert.throws(() => room.occupancy.current, (e) => e.code === 102108);
    });

    it('get() needs the channel-metadata capability (40160)', async () => {
      const { chat } = chatClient(format, { key: LIMITED_KEY, clientId: 'o4' });
      const room = await chat.rooms.get(unique('occ-denied'));
      const err = await rejection(room.occupancy.get());
      assert.equal(err.code, 40160);
    });
  });

  describe(`ably-js occupancy (${format.name})`, () => {
    it('enumeration pages stay correct while channels come and go between pages', async () => {
      const prefix = unique('churn');
      const keep = [];
      const extra = [];
      for (let i = 0; i < 6; i += 1) {
        const rt = await connected(format);
        await rt.channels.get(`${prefix}:${i * 2}`).attach();
        keep.push(rt);
      }
      const client = rest(format);
      let page = await client.request('GET', '/channels', 3, { prefix, limit: '2' });
      const names = [...page.items];
      let round = 0;
      while (page.hasNext()) {
        // Between pages: a new channel appears before the cursor and one after it; one earlier channel goes.
        round += 1;
        const rt = await connected(format);
        await rt.channels.get(`${prefix}:${round * 2 - 1}`).attach();
        extra.push(rt);
        page = await page.next();
        names.push(...page.items);
      }
      const stable = [0, 2, 4, 6, 8, 10].map((i) => `${prefix}:${i}`);
      for (const n of stable) assert.equal(names.filter((x) => x === n).length, 1, `${n} listed exactly once`);
      assert.equal(new Set(names).size, names.length, 'no duplicates');
      [...keep, ...extra].forEach((c) => c.close());
    });

    it('the Chat occupancy endpoint also answers with ?v=4, as ably-chat-kotlin asks', async () => {
      const room = unique('v4');
      const rt = await connected(format, { clientId: 'k' });
      await rt.channels.get(`${room}::$chat`).attach();
      const res = await rest(format).request('GET', `/chat/v4/rooms/${encodeURIComponent(room)}/occupancy`, 4, { v: '4' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.items[0], { connections: 1, presenceMembers: 0 });
    });

    it('[meta]occupancy events carry all metrics, or just one category', async () => {
      const name = unique('meta');
      const rt = await connected(format, { clientId: 'm' });
      const all = rt.channels.get(name, { params: { occupancy: 'metrics' } });
      const allEvents = [];
      await all.subscribe('[meta]occupancy', (m) => allEvents.push(m));
      await until(() => allEvents.length >= 1, 'first event');
      const metrics = allEvents[0].data.metrics;
      assert.deepEqual(Object.keys(metrics).sort(), ['connections', 'objectPublishers', 'objectSubscribers',
        'presenceConnections', 'presenceMembers', 'presenceSubscribers', 'publishers', 'subscribers']);
      assert.equal(metrics.connections, 1);
      assert.equal(all.params.occupancy, 'metrics');

      const other = await connected(format, { clientId: 'single' });
      const single = other.channels.get(name, { params: { occupancy: 'metrics.presenceMembers' } });
      const singleEvents = [];
      await single.subscribe('[meta]occupancy', (m) => singleEvents.push(m));
      await single.presence.enter('x');
      await until(() => singleEvents.some((e) => e.data.metrics.presenceMembers === 1), 'one member');
      for (const e of singleEvents) assert.deepEqual(Object.keys(e.data.metrics), ['presenceMembers']);
      await until(() => allEvents.some((e) => e.data.metrics.connections === 2 && e.data.metrics.presenceMembers === 1),
        'full metrics see the second connection and member');
    });

    it('counts modes per attachment: subscriber-only, publisher-only, presence', async () => {
      const name = unique('modes');
      const s = await connected(format);
      await s.channels.get(name, { modes: ['SUBSCRIBE'] }).attach();
      const p = await connected(format);
      await p.channels.get(name, { modes: ['PUBLISH'] }).attach();
      const q = await connected(format, { clientId: 'pm' });
      const qc = q.channels.get(name, { modes: ['PRESENCE', 'PRESENCE_SUBSCRIBE'] });
      await qc.attach();
      await qc.presence.enter('here');
      const details = await rest(format).channels.get(name).status();
      assert.equal(details.channelId, name);
      assert.equal(details.status.isActive, true);
      assert.deepEqual(details.status.occupancy.metrics, {
        connections: 3, publishers: 1, subscribers: 1, presenceConnections: 1,
        presenceMembers: 1, presenceSubscribers: 1, objectPublishers: 0, objectSubscribers: 0,
      });
      const idle = await rest(format).channels.get(unique('idle')).status();
      assert.equal(idle.status.isActive, false);
      assert.equal(idle.status.occupancy.metrics.connections, 0);
    });

    it('enumerates active channels with prefix, by=value and relative Link pagination', async () => {
      const prefix = unique('enum');
      const clients = [];
      for (let i = 0; i < 5; i += 1) {
        const rt = await connected(format);
        await rt.channels.get(`${prefix}:${i}`).attach();
        clients.push(rt);
      }
      const client = rest(format);
      let page = await client.request('GET', '/channels', 3, { prefix, limit: '2' });
      const names = [...page.items];
      while (page.hasNext()) {
        page = await page.next();
        names.push(...page.items);
      }
      assert.deepEqual(names, [0, 1, 2, 3, 4].map((i) => `${prefix}:${i}`));
      const byValue = await client.request('GET', '/channels', 3, { prefix, by: 'value' });
      assert.equal(byValue.items.length, 5);
      assert.equal(byValue.items[0].status.occupancy.metrics.connections, 1);
      clients.forEach((c) => c.close());
    });
  });
}
