// A terminal chat room on unmodified @ably/chat: messages, reactions, typing and presence between people.
//   node scripts/chat-demo.mjs --key app.key:secret --client alice [--room lobby] [--port 8080] [--host localhost]
// Type a line to send it. Commands: /react EMOJI (on the last message), /edit TEXT and /delete (your last
// message), /wave (a room reaction), /who, /history, /quit. Every keystroke tells the others you are typing.
import * as Ably from 'ably';
import { ChatClient, ChatMessageEventType, PresenceEventType } from '@ably/chat';
import readline from 'node:readline';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const key = arg('key', process.env.ROLLCALL_KEY);
const clientId = arg('client');
if (!key || !clientId) {
  console.error('usage: chat-demo.mjs --key APP.KEY:SECRET --client NAME [--room ROOM] [--port 8080] [--host localhost]');
  process.exit(2);
}
const roomName = arg('room', 'lobby');
const realtime = new Ably.Realtime({
  key, clientId, endpoint: arg('host', 'localhost'), port: Number(arg('port', '8080')), tls: false,
  disableConnectivityCheck: true, fallbackHosts: [], logLevel: 0,
});
const chat = new ChatClient(realtime, { logLevel: 'silent' });
const room = await chat.rooms.get(roomName, { occupancy: { enableEvents: true } });

const out = (line) => console.log(line);
const time = (d) => d.toTimeString().slice(0, 8);
let last; // the newest message in the room
let mine; // my newest message

room.messages.subscribe(({ type, message }) => {
  if (type === ChatMessageEventType.Created) {
    last = message;
    if (message.clientId === clientId) mine = message;
    out(`[${time(message.timestamp)}] ${message.clientId}: ${message.text}`);
  } else if (type === ChatMessageEventType.Updated) {
    out(`[${time(message.version.timestamp)}] ${message.clientId} edited: ${message.text}`);
  } else if (type === ChatMessageEventType.Deleted) {
    out(`[${time(message.version.timestamp)}] ${message.clientId}'s message was deleted by ${message.version.clientId}`);
  }
});
room.messages.reactions.subscribe(({ reactions }) => {
  const all = { ...reactions.distinct };
  const shown = Object.entries(all).map(([emoji, r]) => `${emoji} ${r.total} (${r.clientIds.join(', ')})`);
  out(`  reactions: ${shown.length ? shown.join('  ') : 'none'}`);
});
room.reactions.subscribe(({ reaction }) => out(`  ${reaction.clientId} sends ${reaction.name}`));
room.typing.subscribe(({ currentTypers }) => {
  const others = [...currentTypers].map((t) => t.clientId ?? t).filter((c) => c !== clientId);
  if (others.length) out(`  ${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} typing…`);
});
room.presence.subscribe(({ type, member }) => {
  if (member.clientId === clientId) return;
  if (type === PresenceEventType.Enter) out(`* ${member.clientId} joined`);
  if (type === PresenceEventType.Leave) out(`* ${member.clientId} left`);
});

await room.attach();
await room.presence.enter({ status: 'online' });
const here = (await room.presence.get()).map((m) => m.clientId);
out(`* you are ${clientId} in room ${roomName}; here: ${here.join(', ')}`);

const rl = readline.createInterface({ input: process.stdin, terminal: process.stdin.isTTY });
if (process.stdin.isTTY) {
  process.stdin.on('keypress', () => { room.typing.keystroke().catch(() => {}); });
}

async function command(line) {
  const [cmd, ...rest] = line.split(' ');
  const text = rest.join(' ');
  switch (cmd) {
    case '/react': if (last) await room.messages.reactions.send(last.serial, { name: text || '👍' }); break;
    case '/edit': if (mine) await room.messages.update(mine.serial, { text }); break;
    case '/delete': if (mine) await room.messages.delete(mine.serial); break;
    case '/wave': await room.reactions.send({ name: '👋' }); break;
    case '/who': out(`* here: ${(await room.presence.get()).map((m) => m.clientId).join(', ')}`); break;
    case '/history': {
      const page = await room.messages.history({ limit: 10 });
      for (const m of page.items.reverse()) out(`  (history) ${m.clientId}: ${m.text}`);
      break;
    }
    case '/quit': await shutdown(); break;
    default: out(`* unknown command ${cmd}`);
  }
}

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  rl.close();
  await room.presence.leave().catch(() => {});
  await chat.dispose?.().catch(() => {});
  realtime.close();
  process.exit(0);
}

rl.on('line', (line) => {
  const trimmed = line.trim();
  if (!trimmed) return;
  const done = trimmed.startsWith('/') ? command(trimmed)
    : room.typing.stop().catch(() => {}).then(() => room.messages.send({ text: trimmed }));
  done.catch((e) => out(`! ${e.code ?? ''} ${e.message}`));
});
rl.on('close', () => { shutdown(); });
