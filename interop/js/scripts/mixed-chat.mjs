// One @ably/chat participant for the Java SDK's mixed chat tests. It joins ROOM as CLIENT and prints one JSON
// line per message, room reaction, typing change and reaction summary it sees. Each JSON line on stdin is a
// command ({op: send|update|delete|react|msgReact|keystroke|stop|history, ...}); it answers with a line of
// kind "done" carrying the command's id. It leaves and exits when its stdin closes.
import * as Ably from 'ably';
import { ChatClient, OrderBy } from '@ably/chat';
import * as readline from 'node:readline';

const { ROLLCALL_PORT, ROLLCALL_KEY, ROOM } = process.env;
const CLIENT = process.env.CLIENT || 'js-user';
const realtime = new Ably.Realtime({
  key: ROLLCALL_KEY, clientId: CLIENT, endpoint: 'localhost', port: Number(ROLLCALL_PORT), tls: false,
  disableConnectivityCheck: true, fallbackHosts: [], logLevel: 0,
});
const chat = new ChatClient(realtime, { logLevel: 'silent' });
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const message = (m) => ({
  serial: m.serial, clientId: m.clientId, text: m.text, metadata: m.metadata, headers: m.headers, action: m.action,
  version: { serial: m.version.serial, clientId: m.version.clientId, description: m.version.description, metadata: m.version.metadata },
});

const room = await chat.rooms.get(ROOM, { typing: { heartbeatThrottleMs: 1000 }, messages: { rawMessageReactions: true } });
room.messages.subscribe((e) => out({ kind: 'message', type: e.type, message: message(e.message) }));
room.reactions.subscribe((e) => out({ kind: 'reaction', name: e.reaction.name, clientId: e.reaction.clientId,
  metadata: e.reaction.metadata, headers: e.reaction.headers, isSelf: e.reaction.isSelf }));
room.typing.subscribe((e) => out({ kind: 'typing', currentlyTyping: [...e.currentlyTyping].sort(), change: e.change }));
room.messages.reactions.subscribe((e) => out({ kind: 'summary', serial: e.messageSerial, reactions: e.reactions }));
room.messages.reactions.subscribeRaw((e) => out({ kind: 'raw', type: e.type, reaction: e.reaction }));
await room.attach();
await room.presence.enter({ from: 'js' });
out({ kind: 'ready' });

const commands = {
  send: async (c) => message(await room.messages.send({ text: c.text, metadata: c.metadata, headers: c.headers })),
  update: async (c) => message(await room.messages.update(c.serial, { text: c.text }, { description: c.description })),
  delete: async (c) => message(await room.messages.delete(c.serial, { description: c.description })),
  react: async (c) => room.reactions.send({ name: c.name, metadata: c.metadata }),
  msgReact: async (c) => room.messages.reactions.send(c.serial, { name: c.name, type: c.type, count: c.count }),
  keystroke: async () => room.typing.keystroke(),
  stop: async () => room.typing.stop(),
  history: async () => (await room.messages.history({ orderBy: OrderBy.OldestFirst })).items.map(message),
  get: async (c) => message(await room.messages.get(c.serial)),
};

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const c = JSON.parse(line);
  try {
    out({ kind: 'done', id: c.id, result: (await commands[c.op](c)) ?? null });
  } catch (e) {
    out({ kind: 'done', id: c.id, error: { code: e.code, statusCode: e.statusCode, message: e.message } });
  }
}).on('close', async () => {
  await room.presence.leave();
  await chat.rooms.release(ROOM);
  realtime.close();
  process.exit(0);
});
