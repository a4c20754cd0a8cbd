// One @ably/chat participant for the Java SDK's presence data test. It joins ROOM as js-data, prints one JSON
// line per presence event it sees (with the JavaScript type of the data), and for each line on stdin
// {"update": <value>} updates its presence data to that value, then prints {"kind":"updated"}.
import * as Ably from 'ably';
import { ChatClient } from '@ably/chat';
import { createInterface } from 'node:readline';

const { ROLLCALL_PORT, ROLLCALL_KEY, ROOM, BINARY } = process.env;
const realtime = new Ably.Realtime({
  key: ROLLCALL_KEY, clientId: 'js-data', endpoint: 'localhost', port: Number(ROLLCALL_PORT), tls: false,
  disableConnectivityCheck: true, fallbackHosts: [], logLevel: 0, useBinaryProtocol: BINARY === 'true',
});
const chat = new ChatClient(realtime, { logLevel: 'silent' });
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const room = await chat.rooms.get(ROOM);
room.presence.subscribe((e) => out({
  kind: 'presence', type: e.type, clientId: e.member.clientId, dataType: typeOf(e.member.data), data: e.member.data ?? null,
}));
await room.attach();
await room.presence.enter();
out({ kind: 'ready' });

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { update } = JSON.parse(line);
  await room.presence.update(update);
  out({ kind: 'updated' });
}
await room.presence.leave();
await chat.rooms.release(ROOM);
realtime.close();
process.exit(0);
