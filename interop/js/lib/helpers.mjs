// Shared set-up for the interop suite: real ably-js and @ably/chat clients pointed at a Rollcall server,
// exactly as the README tells users to (endpoint, port, tls:false, no connectivity probe).
import * as Ably from 'ably';
import { ChatClient } from '@ably/chat';
import net from 'node:net';
import { after } from 'node:test';

export const PORT = Number(process.env.ROLLCALL_PORT);
export const KEY = process.env.ROLLCALL_KEY;
export const LIMITED_KEY = process.env.ROLLCALL_LIMITED_KEY;
export const OTHER_APP_KEY = process.env.ROLLCALL_OTHER_APP_KEY;
/** Ports of two nodes of a cluster sharing one Redis (same keys), for the cluster tests. */
export const CLUSTER_PORTS = (process.env.ROLLCALL_CLUSTER_PORTS ?? '').split(',').filter(Boolean).map(Number);
if (!PORT || !KEY) {
  throw new Error('set ROLLCALL_PORT and ROLLCALL_KEY (and ROLLCALL_LIMITED_KEY, ROLLCALL_OTHER_APP_KEY)');
}

/** Both wire formats: every test runs in each. */
export const FORMATS = [
  { name: 'json', useBinaryProtocol: false },
  { name: 'msgpack', useBinaryProtocol: true },
];

const open = new Set();
after(() => {
  for (const c of open) {
    try { c.close(); } catch { /* already closed */ }
  }
});

export function clientOptions(format, extra = {}) {
  return {
    key: KEY,
    endpoint: 'localhost',
    port: PORT,
    tls: false,
    disableConnectivityCheck: true,
    fallbackHosts: [],
    useBinaryProtocol: format.useBinaryProtocol,
    logLevel: 0,
    ...extra,
  };
}

export function realtime(format, extra = {}) {
  const rt = new Ably.Realtime(clientOptions(format, extra));
  open.add(rt);
  return rt;
}

export function rest(format, extra = {}) {
  return new Ably.Rest(clientOptions(format, extra));
}

export async function connected(format, extra = {}) {
  const rt = realtime(format, extra);
  await rt.connection.once('connected');
  return rt;
}

export function chatClient(format, extra = {}) {
  const rt = realtime(format, extra);
  const chat = new ChatClient(rt, { logLevel: 'silent' });
  open.add({ close: () => { chat.dispose?.().catch(() => {}); rt.close(); } });
  return { chat, realtime: rt };
}

let counter = 0;
export function unique(prefix) {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Polls until fn() is truthy (returns its value); fails after the timeout. Never a fixed sleep. */
export async function until(fn, what = 'condition', timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The error an async call fails with (or a failure if it succeeds). */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A loopback TCP proxy to the server whose cut() drops every live socket at once, as a network would. */
export async function tcpProxy() {
  const sockets = new Set();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.on('error', () => {});
      if (client.resetAndDestroy) client.resetAndDestroy(); else client.destroy();
      return;
    }
    const upstream = net.connect(PORT, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    /** While refusing, new connections are reset at once (the network is down). */
    refuse(flag) {
      refusing = flag;
    },
    cut() {
      for (const s of sockets) {
        if (s.resetAndDestroy) s.resetAndDestroy(); else s.destroy();
      }
      sockets.clear();
    },
    close() {
      // Stop accepting first: a client reconnecting at once must find nobody listening.
      server.close();
      this.cut();
    },
  };
}

/**
 * A bare WebSocket speaking the protocol by hand (JSON), for what the SDKs will not send: extras on presence,
 * malformed frames, forged credentials.
 */
export async function rawSocket(query) {
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`ws://localhost:${PORT}/?format=json&v=6&${query}`);
  const frames = [];
  let closeCode = null;
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  ws.on('close', (code) => { closeCode = code; });
  ws.on('error', () => {});
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  open.add({ close: () => ws.terminate() });
  return {
    ws,
    frames,
    send(obj) { ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)); },
    async next(action, from = 0) {
      return until(() => frames.slice(from).find((f) => f.action === action), `frame with action ${action}`);
    },
    closed() { return until(() => closeCode !== null && { code: closeCode }, 'socket close'); },
  };
}

/**
 * A timed record of what a client saw, for a test to print when it fails: note() lines, state changes of
 * what it follow()s (with reasons), and, through sdkLog (spread into the client options), every protocol
 * message the SDK sent or received.
 */
export function timeline() {
  const t0 = Date.now();
  const lines = [];
  const note = (what) => lines.push(`${String(Date.now() - t0).padStart(6)} ms  ${what}`);
  const reason = (r) => (r ? ` (${r.code} ${r.message})` : '');
  return {
    note,
    sdkLog: {
      logLevel: 4,
      logHandler: (msg) => {
        if (msg.includes('received on') || msg.includes('sending msg')) {
          note(msg.replace(/^Ably: /, '').slice(0, 400));
        }
      },
    },
    follow(emitter, what) {
      emitter.on((change) => note(`${what} ${change.previous} -> ${change.current}`
        + `${change.resumed !== undefined ? ` resumed=${change.resumed}` : ''}${reason(change.reason)}`));
    },
    /** Runs the checks; on failure, adds the summary and the timeline to the error. */
    async explain(checks, summary = () => '') {
      try {
        await checks();
      } catch (e) {
        e.message = `${e.message}\n${summary()}\n--- timeline ---\n${lines.join('\n')}`;
        throw e;
      }
    },
  };
}
