// Chat rooms through unmodified @ably/chat (and ably-js underneath): messages over the Chat REST API v4 with
// realtime events, history, versions; message reactions and their summaries; typing and room reactions; JWT
// room user claims; capabilities and limits. Every test runs in JSON and msgpack.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as Ably from 'ably';
import { ChatClient, ChatMessageAction, ChatMessageEventType, MessageReactionType, OrderBy } from '@ably/chat';
import {
  FORMATS, KEY, LIMITED_KEY, chatClient, clientOptions, connected, realtime, unique, until, rejection,
} from '../lib/helpers.mjs';

const [KEY_NAME, KEY_SECRET] = [KEY.slice(0, KEY.indexOf(':')), KEY.slice(KEY.indexOf(':') + 1)];

function jwt(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = b64({ alg: 'HS256', typ: 'JWT', kid: KEY_NAME });
  const body = b64(claims);
  const sig = crypto.createHmac('sha256', KEY_SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** A Chat client authenticated by JWT with that clientId, capability and extra claims (e.g. room user claims). */
function jwtChat(format, clientId, extraClaims = {}, capability = { '*': ['*'] }) {
  const opts = clientOptions(format, {
    authCallback: (_, cb) => {
      const now = Math.floor(Date.now() / 1000);
      cb(null, jwt({
        iat: now, exp: now + 600, 'x-ably-capability': JSON.stringify(capability), 'x-ably-clientId': clientId,
        ...extraClaims,
      }));
    },
  });
  delete opts.key;
  const rt = realtime(format, opts);
  return { chat: new ChatClient(rt, { logLevel: 'silent' }), realtime: rt };
}

const byType = (events, type) => events.filter((e) => e.type === type).map((e) => e.message);

for (const format of FORMATS) {
  describe(`@ably/chat messages (${format.name})`, () => {
    it('send: the REST answer and the realtime event carry the same serial, text, metadata and headers', async () => {
      const { chat } = chatClient(format, { clientId: 'alice' });
      const room = await chat.rooms.get(unique('chat-send'));
      await room.attach();
      const events = [];
      room.messages.subscribe((e) => events.push(e));
      const sent = await room.messages.send({ text: 'hello', metadata: { m: { n: 1 } }, headers: { h: 'x', k: 2 } });
      assert.equal(sent.text, 'hello');
      assert.equal(sent.clientId, 'alice');
      assert.equal(sent.action, ChatMessageAction.MessageCreate);
      assert.deepEqual(sent.metadata, { m: { n: 1 } });
      assert.deepEqual(sent.headers, { h: 'x', k: 2 });
      assert.equal(sent.version.serial, sent.serial);
      await until(() => events.length === 1, 'the created event');
      const got = events[0];
      assert.equal(got.type, ChatMessageEventType.Created);
      assert.equal(got.message.serial, sent.serial);
      assert.equal(got.message.text, 'hello');
      assert.deepEqual(got.message.metadata, { m: { n: 1 } });
      assert.deepEqual(got.message.headers, { h: 'x', k: 2 });
      assert.equal(got.message.timestamp.getTime(), sent.timestamp.getTime());
      // get() answers the same message.
      const fetched = await room.messages.get(sent.serial);
      assert.equal(fetched.serial, sent.serial);
      assert.equal(fetched.text, 'hello');
    });

    it('serials increase as strings in send order; history pages forwards and backwards with next()', async () => {
      const { chat } = chatClient(format, { clientId: 'pager' });
      const room = await chat.rooms.get(unique('chat-pages'));
      const sent = [];
      for (let i = 0; i < 5; i++) sent.push(await room.messages.send({ text: `m${i}` }));
      for (let i = 1; i < sent.length; i++) assert.ok(sent[i - 1].serial < sent[i].serial, 'serials order as strings');
      const first = await room.messages.history({ limit: 3, orderBy: OrderBy.OldestFirst });
      assert.deepEqual(first.items.map((m) => m.text), ['m0', 'm1', 'm2']);
      assert.equal(first.hasNext(), true);
      const second = await first.next();
      assert.deepEqual(second.items.map((m) => m.text), ['m3', 'm4']);
      assert.equal(second.hasNext(), false);
      const back = await room.messages.history({ limit: 2, orderBy: OrderBy.NewestFirst });
      assert.deepEqual(back.items.map((m) => m.text), ['m4', 'm3']);
      const back2 = await back.next();
      assert.deepEqual(back2.items.map((m) => m.text), ['m2', 'm1']);
      const again = await back2.first();
      assert.deepEqual(again.items.map((m) => m.serial), [sent[4].serial, sent[3].serial]);
      // start/end bound by time.
      const timed = await room.messages.history({ start: sent[1].timestamp.getTime(), end: sent[3].timestamp.getTime(), orderBy: OrderBy.OldestFirst });
      assert.ok(timed.items.every((m) => m.timestamp >= sent[1].timestamp && m.timestamp <= sent[3].timestamp));
    });

    it('update and delete make versions: events, history at the latest version, get and getVersions', async () => {
      const { chat } = chatClient(format, { clientId: 'editor' });
      const room = await chat.rooms.get(unique('chat-edit'));
      await room.attach();
      const events = [];
      room.messages.subscribe((e) => events.push(e));
      const sent = await room.messages.send({ text: 'draft' });
      const updated = await room.messages.update(sent.serial, { text: 'final', metadata: { v: 2 } },
        { description: 'typo', metadata: { why: 'spelling' } });
      assert.equal(updated.action, ChatMessageAction.MessageUpdate);
      assert.equal(updated.serial, sent.serial);
      assert.equal(updated.text, 'final');
      assert.equal(updated.timestamp.getTime(), sent.timestamp.getTime());
      assert.ok(updated.version.serial > sent.version.serial, 'a newer version serial');
      assert.equal(updated.version.clientId, 'editor');
      assert.equal(updated.version.description, 'typo');
      assert.deepEqual(updated.version.metadata, { why: 'spelling' });
      const deleted = await room.messages.delete(sent.serial, { description: 'gone' });
      assert.equal(deleted.action, ChatMessageAction.MessageDelete);
      assert.equal(deleted.text, '');
      assert.ok(deleted.version.serial > updated.version.serial);

      await until(() => events.length === 3, 'created, updated and deleted events');
      assert.deepEqual(events.map((e) => e.type),
        [ChatMessageEventType.Created, ChatMessageEventType.Updated, ChatMessageEventType.Deleted]);
      const sameVersion = (a, b) => ['serial', 'clientId', 'description'].forEach((k) => assert.equal(a[k], b[k], k));
      sameVersion(byType(events, ChatMessageEventType.Updated)[0].version, updated.version);
      assert.deepEqual(byType(events, ChatMessageEventType.Updated)[0].version.metadata, { why: 'spelling' });
      sameVersion(byType(events, ChatMessageEventType.Deleted)[0].version, deleted.version);

      const history = await room.messages.history({ limit: 10 });
      assert.equal(history.items.length, 1, 'one item per message');
      assert.equal(history.items[0].action, ChatMessageAction.MessageDelete);
      assert.deepEqual(history.items[0].version, deleted.version);
      const got = await room.messages.get(sent.serial);
      assert.equal(got.action, ChatMessageAction.MessageDelete);
      const versions = await room.messages.getVersions(sent.serial);
      assert.deepEqual(versions.items.map((m) => m.action),
        [ChatMessageAction.MessageCreate, ChatMessageAction.MessageUpdate, ChatMessageAction.MessageDelete]);
      assert.deepEqual(versions.items[1], updated);
    });

    it('historyBeforeSubscribe stops at the attach point, and at the latest message for a later listener', async () => {
      const { chat } = chatClient(format, { clientId: 'late' });
      const room = await chat.rooms.get(unique('chat-before'));
      const before = await room.messages.send({ text: 'before attach' });
      const early = room.messages.subscribe(() => {});
      await room.attach();
      const seen = [];
      room.messages.subscribe((e) => seen.push(e));
      const after = await room.messages.send({ text: 'after attach' });
      await until(() => seen.length === 1, 'the live message');
      assert.deepEqual((await early.historyBeforeSubscribe({ limit: 10 })).items.map((m) => m.serial), [before.serial]);
      const later = room.messages.subscribe(() => {});
      assert.deepEqual((await later.historyBeforeSubscribe({ limit: 10 })).items.map((m) => m.serial),
        [after.serial, before.serial]);
    });

    it('an ably-js subscriber sees message actions, serials and versions; ephemeral messages stay out of history', async () => {
      const { chat } = chatClient(format, { clientId: 'writer' });
      const name = unique('chat-raw');
      const room = await chat.rooms.get(name);
      const rt = await connected(format, { clientId: 'reader' });
      const channel = rt.channels.get(`${name}::$chat`);
      const got = [];
      await channel.subscribe((m) => got.push(m));
      const sent = await room.messages.send({ text: 'x' });
      await room.messages.update(sent.serial, { text: 'y' });
      await until(() => got.length === 2, 'create and update');
      assert.equal(got[0].name, 'chat.message');
      assert.equal(got[0].action, 'message.create');
      assert.equal(got[0].serial, sent.serial);
      assert.deepEqual(got[0].data, { text: 'x', metadata: {} });
      assert.equal(got[1].action, 'message.update');
      assert.equal(got[1].serial, sent.serial);
      assert.ok(got[1].version.serial > sent.serial);
      // Typing is ephemeral: delivered, never stored.
      await room.attach();
      await room.typing.keystroke();
      await until(() => got.some((m) => m.name === 'typing.started'), 'the typing event');
      const history = await channel.history({ direction: 'forwards' });
      assert.deepEqual(history.items.map((m) => m.action), ['message.create', 'message.update']);
      // Channel history and rewind show versioned messages with their serials, as live delivery does.
      assert.deepEqual(history.items.map((m) => m.serial), [sent.serial, sent.serial]);
      assert.equal(history.items[1].version.serial, got[1].version.serial);
      const rewound = [];
      const rt2 = await connected(format, { clientId: 'rewinder' });
      await rt2.channels.get(`${name}::$chat`, { params: { rewind: '10' } }).subscribe((m) => rewound.push(m));
      await until(() => rewound.length === 2, 'the two stored versions, rewound');
      assert.deepEqual(rewound.map((m) => m.serial), [sent.serial, sent.serial]);
      assert.deepEqual(rewound.map((m) => m.action), ['message.create', 'message.update']);
    });

    it('message reactions: unique, distinct and multiple summaries, raw reactions, client reactions, delete', async () => {
      const a = chatClient(format, { clientId: 'ra' });
      const b = chatClient(format, { clientId: 'rb' });
      const name = unique('chat-react');
      const roomA = await a.chat.rooms.get(name, { messages: { rawMessageReactions: true } });
      const roomB = await b.chat.rooms.get(name);
      await roomA.attach();
      await roomB.attach();
      const summaries = [];
      const raw = [];
      roomA.messages.reactions.subscribe((e) => summaries.push(e));
      roomA.messages.reactions.subscribeRaw((e) => raw.push(e));
      const msg = await roomA.messages.send({ text: 'react to me' });
      const last = () => summaries[summaries.length - 1]?.reactions;

      await roomA.messages.reactions.send(msg.serial, { type: MessageReactionType.Distinct, name: '👍' });
      await roomB.messages.reactions.send(msg.serial, { type: MessageReactionType.Distinct, name: '👍' });
      await roomB.messages.reactions.send(msg.serial, { type: MessageReactionType.Distinct, name: '🎉' });
      await until(() => last()?.distinct['👍']?.total === 2 && last()?.distinct['🎉']?.total === 1, 'distinct summary');
      assert.deepEqual(last().distinct['👍'].clientIds, ['ra', 'rb']);

      await roomA.messages.reactions.send(msg.serial, { type: MessageReactionType.Unique, name: '❤️' });
      await roomA.messages.reactions.send(msg.serial, { type: MessageReactionType.Unique, name: '😂' });
      await until(() => last()?.unique['😂']?.total === 1 && !last()?.unique['❤️'], 'unique keeps the latest');

      await roomB.messages.reactions.send(msg.serial, { type: MessageReactionType.Multiple, name: '🔥', count: 3 });
      await roomA.messages.reactions.send(msg.serial, { type: MessageReactionType.Multiple, name: '🔥' });
      await until(() => last()?.multiple['🔥']?.total === 4, 'multiple adds counts');
      assert.deepEqual(last().multiple['🔥'].clientIds, { rb: 3, ra: 1 });

      await until(() => raw.length === 7, 'seven raw reactions');
      assert.equal(raw[0].reaction.messageSerial, msg.serial);
      assert.equal(raw[0].reaction.clientId, 'ra');
      assert.equal(raw[0].reaction.name, '👍');

      const mine = await roomA.messages.reactions.clientReactions(msg.serial, 'rb');
      assert.deepEqual(Object.keys(mine.distinct).sort(), ['🎉', '👍'].sort());
      assert.deepEqual(mine.distinct['👍'].clientIds, ['rb']);
      assert.equal(mine.distinct['👍'].total, 2);

      await roomB.messages.reactions.delete(msg.serial, { type: MessageReactionType.Distinct, name: '👍' });
      await until(() => last()?.distinct['👍']?.total === 1, 'distinct delete');
      const fetched = await roomA.messages.get(msg.serial);
      assert.equal(fetched.reactions.distinct['👍'].total, 1);
      assert.equal(fetched.reactions.multiple['🔥'].total, 4);
      const page = await roomA.messages.history({ limit: 1 });
      assert.equal(page.items[0].reactions.unique['😂'].total, 1);
    });

    it('JWT room user claims reach messages, presence, typing, room and message reactions', async () => {
      const name = unique('chat-claims');
      const { chat } = jwtChat(format, 'claimed', { [`ably.room.${name}`]: 'moderator' });
      const room = await chat.rooms.get(name, { messages: { rawMessageReactions: true } });
      const other = chatClient(format, { clientId: 'watcher' });
      const watch = await other.chat.rooms.get(name);
      await watch.attach();
      await room.attach();
      const messages = [];
      const presence = [];
      const typing = [];
      const reactions = [];
      const raw = [];
      watch.messages.subscribe((e) => messages.push(e.message));
      watch.presence.subscribe((e) => presence.push(e.member));
      watch.typing.subscribe((e) => typing.push(e.change));
      watch.reactions.subscribe((e) => reactions.push(e.reaction));
      room.messages.reactions.subscribeRaw((e) => raw.push(e.reaction));

      const sent = await room.messages.send({ text: 'with claim' });
      assert.equal(sent.userClaim, 'moderator');
      await room.presence.enter({});
      await room.typing.keystroke();
      await room.reactions.send({ name: '👏' });
      await room.messages.reactions.send(sent.serial, { name: '👍' });
      await until(() => messages.length && presence.length && typing.length && reactions.length && raw.length,
        'every kind of event');
      assert.equal(messages[0].userClaim, 'moderator');
      assert.equal(presence[0].userClaim, 'moderator');
      assert.equal(typing[0].userClaim, 'moderator');
      assert.equal(reactions[0].userClaim, 'moderator');
      assert.equal(raw[0].userClaim, 'moderator');
      assert.equal((await watch.messages.get(sent.serial)).userClaim, 'moderator');
      // No claim for another room; a client cannot forge one.
      const elsewhere = await chat.rooms.get(unique('chat-noclaim'));
      assert.equal((await elsewhere.messages.send({ text: 'x' })).userClaim, undefined);
    });

    it('capabilities: publish, message-update-own/any, message-delete-own/any and annotation-publish (40160)', async () => {
      const name = unique('chat-caps');
      const limited = chatClient(format, { key: LIMITED_KEY, clientId: 'reader' });
      const lroom = await limited.chat.rooms.get(name);
      assert.equal((await rejection(lroom.messages.send({ text: 'no' }))).code, 40160);

      const own = ['publish', 'subscribe', 'history', 'message-update-own', 'message-delete-own'];
      const alice = jwtChat(format, 'cap-alice', {}, { [`${name}::$chat`]: own });
      const bob = jwtChat(format, 'cap-bob', {}, { [`${name}::$chat`]: own });
      const mod = jwtChat(format, 'cap-mod', {}, { [`${name}::$chat`]: ['history', 'message-update-any', 'message-delete-any'] });
      const ra = await alice.chat.rooms.get(name);
      const rb = await bob.chat.rooms.get(name);
      const rm = await mod.chat.rooms.get(name);
      const sent = await ra.messages.send({ text: 'mine' });
      assert.equal((await rejection(rb.messages.update(sent.serial, { text: 'not yours' }))).code, 40160);
      assert.equal((await rejection(rb.messages.delete(sent.serial))).code, 40160);
      assert.equal((await ra.messages.update(sent.serial, { text: 'mine, edited' })).text, 'mine, edited');
      assert.equal((await rm.messages.update(sent.serial, { text: 'moderated' })).version.clientId, 'cap-mod');
      assert.equal((await rm.messages.delete(sent.serial)).action, ChatMessageAction.MessageDelete);
      const noReact = await rejection(ra.messages.reactions.send(sent.serial, { name: '👍' }));
      assert.equal(noReact.code, 40160);
    });

    it('errors: unknown serial 40400, oversized text 40009', async () => {
      const { chat } = chatClient(format, { clientId: 'errs' });
      const room = await chat.rooms.get(unique('chat-errors'));
      assert.equal((await rejection(room.messages.get('00000000000001-000000'))).code, 40400);
      assert.equal((await rejection(room.messages.update('nonsense', { text: 'x' }))).code, 40400);
      assert.equal((await rejection(room.messages.reactions.send('00000000000001-000000', { name: 'x' }))).code, 40400);
      assert.equal((await rejection(room.messages.send({ text: 'x'.repeat(70000) }))).code, 40009);
    });
  });
}

describe('ably-js annotations on a chat channel', () => {
  it('ANNOTATION messages reach only attachments with annotation_subscribe; summaries reach subscribers', async () => {
    const format = FORMATS[0];
    const { chat } = chatClient(format, { clientId: 'annot' });
    const name = unique('chat-annot');
    const room = await chat.rooms.get(name);
    const rt = await connected(format, { clientId: 'raw-reader' });
    const withMode = rt.channels.get(`${name}::$chat`, { modes: ['SUBSCRIBE', 'ANNOTATION_SUBSCRIBE'] });
    const annotations = [];
    const summaries = [];
    await withMode.annotations.subscribe((a) => annotations.push(a));
    await withMode.subscribe((m) => { if (m.action === 'message.summary') summaries.push(m); });
    const rt2 = await connected(format, { clientId: 'plain-reader' });
    const plain = rt2.channels.get(`${name}::$chat`);
    const plainAnnotations = [];
    await plain.attach();
    // ably-js registers the listener, then tells that the mode was not requested (93001).
    assert.equal((await rejection(plain.annotations.subscribe((a) => plainAnnotations.push(a)))).code, 93001);

    const msg = await room.messages.send({ text: 'annotate' });
    await room.messages.reactions.send(msg.serial, { type: MessageReactionType.Distinct, name: '⭐' });
    await until(() => annotations.length === 1 && summaries.length === 1, 'annotation and summary');
    assert.equal(annotations[0].action, 'annotation.create');
    assert.equal(annotations[0].type, 'reaction:distinct.v1');
    assert.equal(annotations[0].messageSerial, msg.serial);
    assert.equal(annotations[0].clientId, 'annot');
    assert.equal(summaries[0].serial, msg.serial);
    assert.deepEqual(summaries[0].annotations.summary['reaction:distinct.v1']['⭐'].clientIds, ['annot']);
    assert.equal(plainAnnotations.length, 0);
  });
});

for (const format of FORMATS) {
  describe(`ably-js channel.annotations on a chat message (${format.name})`, () => {
    it('realtime and REST publish, delete and get annotations; summaries follow', async () => {
      const { chat } = chatClient(format, { clientId: 'author' });
      const name = unique('chat-ablyjs-annot');
      const room = await chat.rooms.get(name);
      const msg = await room.messages.send({ text: 'annotate me' });
      const rt = await connected(format, { clientId: 'annotator' });
      const channel = rt.channels.get(`${name}::$chat`, { modes: ['PUBLISH', 'SUBSCRIBE', 'ANNOTATION_PUBLISH', 'ANNOTATION_SUBSCRIBE'] });
      const summaries = [];
      const raw = [];
      await channel.subscribe((m) => { if (m.action === 'message.summary') summaries.push(m); });
      await channel.annotations.subscribe((a) => raw.push(a));
      await channel.annotations.publish(msg.serial, { type: 'reaction:multiple.v1', name: '🎈', count: 2 });
      const restClient = new Ably.Rest(clientOptions(format, { clientId: 'annotator' }));
      const restChannel = restClient.channels.get(`${name}::$chat`);
      await restChannel.annotations.publish(msg.serial, { type: 'reaction:multiple.v1', name: '🎈' });
      await until(() => summaries.length === 2 && raw.length === 2, 'two summaries and two raw annotations');
      assert.equal(summaries[1].annotations.summary['reaction:multiple.v1']['🎈'].total, 3);
      await channel.annotations.delete(msg.serial, { type: 'reaction:multiple.v1', name: '🎈' });
      await until(() => summaries.length === 3, 'the summary after the delete');
      assert.equal(summaries[2].annotations.summary['reaction:multiple.v1']['🎈'], undefined);
      const listed = await restChannel.annotations.get(msg.serial, {});
      assert.deepEqual(listed.items.map((a) => a.action), ['annotation.create', 'annotation.create', 'annotation.delete']);
      assert.ok(listed.items.every((a) => a.messageSerial === msg.serial && a.clientId === 'annotator'));
      // Without the annotation-publish capability (LIMITED_KEY: subscribe only): 40160.
      const limited = await connected(format, { key: LIMITED_KEY, clientId: 'nope' });
      const denied = limited.channels.get(`${name}::$chat`);
      await denied.attach();
      assert.equal((await rejection(denied.annotations.publish(msg.serial, { type: 'reaction:distinct.v1', name: 'x' }))).code, 40160);
    });
  });
}

describe('the terminal chat demo (scripts/chat-demo.mjs)', () => {
  it('two people see each other join, chat, react, edit, wave and leave', async () => {
    const { spawn } = await import('node:child_process');
    const room = unique('demo');
    const start = (client) => {
      const p = spawn(process.execPath, ['scripts/chat-demo.mjs', '--port', String(process.env.ROLLCALL_PORT),
        '--key', KEY, '--client', client, '--room', room], { stdio: ['pipe', 'pipe', 'pipe'] });
      const lines = [];
      let buf = '';
      p.stdout.on('data', (d) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop();
        lines.push(...parts);
      });
      return { p, lines, say: (s) => p.stdin.write(`${s}\n`), has: (re) => lines.some((l) => re.test(l)) };
    };
    const alice = start('alice');
    try {
      await until(() => alice.has(/you are alice/), 'alice in the room');
      const bob = start('bob');
      try {
        await until(() => bob.has(/you are bob .*here: .*alice/) && alice.has(/\* bob joined/), 'bob joins and sees alice');
        alice.say('hello bob');
        await until(() => bob.has(/alice: hello bob/), 'bob gets the message');
        bob.say('/react 👍');
        await until(() => alice.has(/reactions: 👍 1 \(bob\)/), 'alice sees the reaction summary');
        alice.say('/edit hello bob!');
        await until(() => bob.has(/alice edited: hello bob!/), 'bob sees the edit');
        bob.say('/wave');
        await until(() => alice.has(/bob sends 👋/), 'alice sees the room reaction');
        bob.say('/quit');
        await until(() => alice.has(/\* bob left/), 'alice sees bob leave');
      } finally {
        bob.p.kill();
      }
    } finally {
      alice.p.kill();
    }
  });
});
