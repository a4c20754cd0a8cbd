// Presence through real ably-js channels and @ably/chat rooms, in JSON and msgpack.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PresenceEventType } from '@ably/chat';
import { FORMATS, KEY, LIMITED_KEY, chatClient, connected, rawSocket, unique, until, rejection, tcpProxy } from '../lib/helpers.mjs';

for (const format of FORMATS) {
  describe(`ably-js presence (${format.name})`, () => {
    it('enter, update and leave reach other members; get() filters; leave carries the last data', async () => {
      const name = unique('pres');
      const alice = await connected(format, { clientId: 'alice' });
      const bob = await connected(format, { clientId: 'bob' });
      const seen = [];
      const bobCh = bob.channels.get(name);
      await bobCh.presence.subscribe((m) => seen.push(m));
      const aliceCh = alice.channels.get(name);
      await aliceCh.presence.enter({ mood: 'happy' });
      await aliceCh.presence.update({ mood: 'busy' });
      await until(() => seen.length === 2, 'enter and update');
      const members = await bobCh.presence.get();
      assert.deepEqual(members.map((m) => m.clientId), ['alice']);
      assert.deepEqual(members[0].data, { mood: 'busy' });
      assert.deepEqual((await bobCh.presence.get({ clientId: 'nobody' })), []);
      assert.equal((await bobCh.presence.get({ connectionId: alice.connection.id })).length, 1);
      await aliceCh.presence.leave();
      await until(() => seen.length === 3, 'leave');
      assert.deepEqual(seen.map((m) => m.action), ['enter', 'update', 'leave']);
      assert.deepEqual(seen[2].data, { mood: 'busy' });
      assert.ok(seen[0].id.startsWith(`${alice.connection.id}:`));
      assert.deepEqual(await bobCh.presence.get(), []);
    });

    it('a late joiner gets every member (one user on two connections is two members)', async () => {
      const name = unique('late');
      for (let i = 0; i < 2; i += 1) {
        const c = await connected(format, { clientId: 'carol' });
        await c.channels.get(name).presence.enter(`c${i}`);
      }
      const d = await connected(format, { clientId: 'dave' });
      await d.channels.get(name).presence.enter('d');
      const late = await connected(format, { clientId: 'late' });
      const all = await late.channels.get(name).presence.get();
      assert.equal(all.length, 3);
      assert.equal(all.filter((m) => m.clientId === 'carol').length, 2);
    });

    it('enter without the presence capability is refused with 40160', async () => {
      const rt = await connected(format, { key: LIMITED_KEY, clientId: 'nope' });
      const err = await rejection(rt.channels.get(unique('denied')).presence.enter('x'));
      assert.equal(err.code, 40160);
    });

    it('a dropped transport resumes with no leave/enter flap', async () => {
      const proxy = await tcpProxy();
      try {
        const name = unique('flap');
        const flaky = await connected(format, { clientId: 'flaky', port: proxy.port });
        const watcher = await connected(format, { clientId: 'watcher' });
        const seen = [];
        await watcher.channels.get(name).presence.subscribe((m) => seen.push(m.action));
        const ch = flaky.channels.get(name);
        await ch.presence.enter('here');
        await until(() => seen.length === 1, 'enter');
        const id = flaky.connection.id;
        let dropped = false;
        flaky.connection.on('disconnected', () => { dropped = true; });
        proxy.cut();
        await until(() => dropped && flaky.connection.state === 'connected' && ch.state === 'attached', 'resume');
        assert.equal(flaky.connection.id, id);
        await ch.presence.update('marker');
        await until(() => seen.length >= 2, 'marker');
        assert.deepEqual(seen, ['enter', 'update']);
      } finally {
        proxy.close();
      }
    });
  });

  describe(`@ably/chat room.presence (${format.name})`, () => {
    it('enter, update, leave, get with filters, isUserPresent, and all four event types', async () => {
      const room = unique('chat-pres');
      const a = chatClient(format, { clientId: 'alice' });
      const b = chatClient(format, { clientId: 'bob' });
      const roomA = await a.chat.rooms.get(room);
      const roomB = await b.chat.rooms.get(room);
      await roomA.attach();
      await roomB.attach();
      const events = [];
      const { unsubscribe } = roomB.presence.subscribe((e) => events.push(e));
      await roomA.presence.enter({ status: 'online', nickname: 'Alice' });
      await roomA.presence.update({ status: 'away' });
      await until(() => events.length === 2, 'enter and update');
      assert.deepEqual(events.map((e) => e.type), [PresenceEventType.Enter, PresenceEventType.Update]);
      const member = events[1].member;
      assert.equal(member.clientId, 'alice');
      assert.equal(member.connectionId, a.realtime.connection.id);
      assert.deepEqual(member.data, { status: 'away' });
      assert.ok(member.updatedAt instanceof Date);
      assert.ok(Math.abs(member.updatedAt.getTime() - Date.now()) < 60_000);

      assert.equal(await roomB.presence.isUserPresent('alice'), true);
      assert.equal(await roomB.presence.isUserPresent('nobody'), false);
      assert.deepEqual((await roomB.presence.get()).map((m) => m.clientId), ['alice']);
      assert.deepEqual((await roomB.presence.get({ clientId: 'alice' })).length, 1);
      assert.deepEqual((await roomB.presence.get({ connectionId: 'no-such-connection' })).length, 0);

      // A late joiner sees the existing member as `present`.
      const c = chatClient(format, { clientId: 'carol' });
      const roomC = await c.chat.rooms.get(room);
      const lateEvents = [];
      roomC.presence.subscribe((e) => lateEvents.push(e));
      await roomC.attach();
      await until(() => lateEvents.some((e) => e.type === PresenceEventType.Present), 'present event');
      const present = lateEvents.find((e) => e.type === PresenceEventType.Present);
      assert.equal(present.member.clientId, 'alice');
      assert.deepEqual(present.member.data, { status: 'away' });

      await roomA.presence.leave({ status: 'gone' });
      await until(() => events.length === 3, 'leave');
      assert.equal(events[2].type, PresenceEventType.Leave);
      assert.deepEqual(events[2].member.data, { status: 'gone' });
      assert.equal(await roomB.presence.isUserPresent('alice'), false);
      unsubscribe();
    });

    it('shows a member\'s extras (sent by a raw client) and leaves extras undefined otherwise', async () => {
      const room = unique('chat-extras');
      const a = chatClient(format, { clientId: 'ex' });
      const r = await a.chat.rooms.get(room);
      await r.attach();
      await r.presence.enter({ plain: true });
      const raw = await rawSocket(`key=${encodeURIComponent(KEY)}&clientId=raw`);
      await raw.next(4);
      raw.send({ action: 10, channel: `${room}::$chat` });
      await raw.next(11);
      raw.send({ action: 14, channel: `${room}::$chat`, msgSerial: 0,
        presence: [{ action: 2, data: '{"role":"mod"}', encoding: 'json', extras: { headers: { badge: 'gold' } } }] });
      await raw.next(1);
      const members = await until(async () => {
        const m = await r.presence.get({ clientId: 'raw' });
        return m.length ? m : null;
      }, 'raw member');
      assert.deepEqual(members[0].extras, { headers: { badge: 'gold' } });
      assert.deepEqual(members[0].data, { role: 'mod' });
      const mine = await r.presence.get({ clientId: 'ex' });
      assert.equal(mine[0].extras, undefined);
    });

    it('presence operations need an attached room (102112) and subscribe needs events enabled (102108)', async () => {
      const a = chatClient(format, { clientId: 'state' });
      const room = await a.chat.rooms.get(unique('chat-state'), { presence: { enableEvents: false } });
      const err = await rejection(room.presence.enter({}));
      assert.equal(err.code, 102112);
      assert.throws(() => room.presence.subscribe(() => {}), (e) => e.code === 102108);
    });
  });
}
