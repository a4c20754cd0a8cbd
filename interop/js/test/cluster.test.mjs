// Two Rollcall nodes on one Redis: real ably-js and @ably/chat clients on different nodes see one room.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChatMessageEventType, MessageReactionType, OrderBy, PresenceEventType } from '@ably/chat';
import { CLUSTER_PORTS, FORMATS, chatClient, connected, unique, until } from '../lib/helpers.mjs';

const [NODE_A, NODE_B] = CLUSTER_PORTS;

for (const format of FORMATS) {
  describe(`cluster: clients on two nodes share rooms (${format.name})`, () => {
    it('@ably/chat presence: events, get and isUserPresent across nodes', async () => {
      const room = unique('cluster-chat-pres');
      const a = chatClient(format, { clientId: 'alice', port: NODE_A });
      const b = chatClient(format, { clientId: 'bob', port: NODE_B });
      const roomA = await a.chat.rooms.get(room);
      const roomB = await b.chat.rooms.get(room);
      await roomA.attach();
      await roomB.attach();
      const events = [];
      roomB.presence.subscribe((e) => events.push(e));
      await roomA.presence.enter({ status: 'online' });
      await roomA.presence.update({ status: 'away' });
      await until(() => events.length === 2, 'enter and update from the other node');
      assert.deepEqual(events.map((e) => e.type), [PresenceEventType.Enter, PresenceEventType.Update]);
      assert.equal(events[1].member.connectionId, a.realtime.connection.id);
      assert.deepEqual(events[1].member.data, { status: 'away' });
      assert.equal(await roomB.presence.isUserPresent('alice'), true);
      await roomB.presence.enter({ status: 'here' });
      await until(async () => (await roomA.presence.get()).length === 2, 'both members seen from node A');
      assert.deepEqual((await roomA.presence.get()).map((m) => m.clientId).sort(), ['alice', 'bob']);
      await roomA.presence.leave();
      const alices = () => events.filter((e) => e.member.clientId === 'alice');
      await until(() => alices().length === 3, 'leave from the other node');
      assert.deepEqual(alices().map((e) => e.type),
        [PresenceEventType.Enter, PresenceEventType.Update, PresenceEventType.Leave]);
      assert.equal(await roomB.presence.isUserPresent('alice'), false);
    });

    it('@ably/chat messages and reactions across nodes: events, history, get and summaries from either node', async () => {
      const name = unique('cluster-chat-msg');
      const a = chatClient(format, { clientId: 'alice', port: NODE_A });
      const b = chatClient(format, { clientId: 'bob', port: NODE_B });
      const roomA = await a.chat.rooms.get(name);
      const roomB = await b.chat.rooms.get(name);
      await roomA.attach();
      await roomB.attach();
      const events = [];
      const summaries = [];
      roomB.messages.subscribe((e) => events.push(e));
      roomB.messages.reactions.subscribe((e) => summaries.push(e));
      const first = await roomA.messages.send({ text: 'from A' });
      const second = await roomA.messages.send({ text: 'again from A' });
      await roomA.messages.update(first.serial, { text: 'edited on A' });
      await until(() => events.length === 3, 'created, created, updated on node B');
      assert.deepEqual(events.map((e) => e.type),
        [ChatMessageEventType.Created, ChatMessageEventType.Created, ChatMessageEventType.Updated]);
      assert.deepEqual(events.map((e) => e.message.serial), [first.serial, second.serial, first.serial]);
      const history = await roomB.messages.history({ orderBy: OrderBy.OldestFirst });
      assert.deepEqual(history.items.map((m) => m.text), ['edited on A', 'again from A']);
      await roomB.messages.reactions.send(first.serial, { type: MessageReactionType.Distinct, name: '👍' });
      await roomA.messages.reactions.send(first.serial, { type: MessageReactionType.Distinct, name: '👍' });
      await until(() => summaries[summaries.length - 1]?.reactions.distinct['👍']?.total === 2, 'summary of both');
      assert.equal((await roomA.messages.get(first.serial)).reactions.distinct['👍'].total, 2);
      // A subscriber that comes later on node B reads history up to its attach point, whichever node wrote it.
      const late = roomB.messages.subscribe(() => {});
      const before = await late.historyBeforeSubscribe({ limit: 10 });
      assert.deepEqual(before.items.map((m) => m.serial), [second.serial, first.serial]);
    });

    it('@ably/chat occupancy sums both nodes, live and through REST', async () => {
      const name = unique('cluster-chat-occ');
      const watcher = chatClient(format, { clientId: 'watcher', port: NODE_B });
      const room = await watcher.chat.rooms.get(name, { occupancy: { enableEvents: true } });
      const events = [];
      room.occupancy.subscribe((e) => events.push(e));
      await room.attach();
      const joiner = chatClient(format, { clientId: 'joiner', port: NODE_A });
      const roomA = await joiner.chat.rooms.get(name);
      await roomA.attach();
      await roomA.presence.enter({ hi: true });
      await until(() => {
        const last = events[events.length - 1];
        return last && last.occupancy.connections === 2 && last.occupancy.presenceMembers === 1;
      }, 'two connections on two nodes, one member');
      assert.deepEqual(await room.occupancy.get(), { connections: 2, presenceMembers: 1 });
      assert.deepEqual(await roomA.occupancy.get(), { connections: 2, presenceMembers: 1 });
    });

    it('ably-js messages published on one node arrive on the other, in order', async () => {
      const name = unique('cluster-msgs');
      const sub = await connected(format, { clientId: 'sub', port: NODE_B });
      const ch = sub.channels.get(name);
      const got = [];
      await ch.subscribe((m) => got.push(m.data));
      const pub = await connected(format, { clientId: 'pub', port: NODE_A });
      const out = pub.channels.get(name);
      for (let i = 0; i < 20; i += 1) {
        await out.publish('n', `m${i}`);
      }
      await until(() => got.length === 20, 'twenty messages across nodes');
      assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => `m${i}`));
    });
  });
}
