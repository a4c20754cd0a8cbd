// One @ably/chat participant for the Java SDK's mixed-room test. It joins ROOM, enters presence, and prints
// one JSON line per presence and occupancy event it sees. It leaves and exits when its stdin closes.
import * as Ably from 'ably';
import { ChatClient } from '@ably/chat';

const { ROLLCALL_PORT, ROLLCALL_KEY, ROOM } = process.env;
const realtime = new Ably.Realtime({
  key: ROLLCALL_KEY, clientId: 'js-user', endpoint: 'localhost', port: Number(ROLLCALL_PORT), tls: false,
  disableConnectivityCheck: true, fallbackHosts: [], logLevel: 0,
});
const chat = new ChatClient(realtime, { logLevel: 'silent' });
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

const room = await chat.rooms.get(ROOM, { occupancy: { enableEvents: true } });
room.presence.subscribe((e) => out({ kind: 'presence', type: e.type, clientId: e.member.clientId, data: e.member.data }));
room.occupancy.subscribe((e) => out({ kind: 'occupancy', ...e.occupancy }));
await room.attach();
await room.presence.enter({ from: 'js' });
out({ kind: 'ready', members: (await room.presence.get()).map((m) => m.clientId) });

process.stdin.resume();
process.stdin.on('end', async () => {
  await room.presence.leave();
  await chat.rooms.release(ROOM);
  realtime.close();
  process.exit(0);
});
