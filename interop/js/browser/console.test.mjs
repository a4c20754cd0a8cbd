// The operator console in a real headless Chromium (Debian's chromium, driven by playwright-core), against a
// Rollcall whose webhook rules post to real local HTTP receivers. Run by ConsoleBrowserTest, which sets
// ROLLCALL_PORT, ROLLCALL_KEY, ROLLCALL_LIMITED_KEY, ROLLCALL_HOOK_OK and ROLLCALL_HOOK_FAILING (rule ids), and
// optionally ROLLCALL_SCREENSHOTS (a directory for the README's screenshots).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { CLUSTER_PORTS, FORMATS, KEY, LIMITED_KEY, PORT, chatClient, connected, realtime, unique, until } from '../lib/helpers.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const HOOK_OK = process.env.ROLLCALL_HOOK_OK;
const HOOK_FAILING = process.env.ROLLCALL_HOOK_FAILING;
const SHOTS = process.env.ROLLCALL_SCREENSHOTS;
const CONSOLE = `http://localhost:${PORT}/console`;
const json = FORMATS[0];

let context;
let profile;

before(async () => {
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

async function page() {
  const p = await context.newPage();
  p.on('pageerror', (e) => console.error('page error:', e.message));
  return p;
}

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2 A/AA checks on the page as it is now (injected through the DevTools protocol, not the page). */
async function accessibilityViolations(p) {
  await p.evaluate(AXE);
  const result = await p.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}

async function shot(p, name) {
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The text of a channel row's metric cell, or null while the row is not shown. */
async function metric(p, channel, name) {
  const cell = p.locator(`#channel-rows tr[data-channel="${channel}"] td[data-metric="${name}"]`);
  return (await cell.count()) ? Number(await cell.textContent()) : null;
}

describe('operator console in headless Chromium', () => {
  it('refuses a wrong key and shows nothing without a key', async () => {
    const p = await page();
    await p.goto(CONSOLE);
    assert.equal(await p.locator('#main').isVisible(), false, 'nothing shown before signing in');
    const appId = KEY.split('.')[0];
    await p.getByLabel('API key').fill(`${KEY.split(':')[0]}:not-the-secret`);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.locator('#signin-error').filter({ hasText: 'Key refused' }).waitFor();
    assert.match(await p.locator('#signin-error').textContent(), /40101/);
    assert.equal(await p.locator('#main').isVisible(), false);
    await p.goto(`${CONSOLE}#key=${encodeURIComponent(`${appId}.nosuchkey:whatever`)}`);
    await p.locator('#signin-error').filter({ hasText: 'Key refused' }).waitFor();
    assert.equal(await p.locator('#main').isVisible(), false);
    assert.deepEqual(await accessibilityViolations(p), [], 'sign-in page: WCAG 2 A/AA');
    await shot(p, 'console-signin-refused');
    await p.close();
  });

  it('shows a room filling as @ably/chat clients enter, its occupancy, members and their data; publishes; enters presence', async () => {
    const room = unique('console-room');
    const channel = `${room}::$chat`;
    const p = await page();
    await p.goto(`${CONSOLE}#key=${encodeURIComponent(KEY)}`);
    await p.locator('#main').waitFor();
    assert.equal(new URL(p.url()).hash, '', 'the key leaves the address bar');
    await p.getByLabel('Filter by name').fill(room);

    // Three chat users enter one by one; the channel list follows each (server-side filter, live refresh).
    const users = [];
    for (const [i, name] of ['alice', 'bob', 'carol'].entries()) {
      const { chat } = chatClient(json, { clientId: name });
      const r = await chat.rooms.get(room, { occupancy: { enableEvents: true } });
      await r.attach();
      await r.presence.enter({ status: 'online', seat: i + 1 });
      users.push({ name, room: r });
      await until(async () => (await metric(p, channel, 'presenceMembers')) === i + 1, `${i + 1} members in the list`);
    }
    assert.equal(await metric(p, channel, 'connections'), 3);

    // A second, emptier channel: sorting by presenceMembers puts the room first either way round.
    const other = await connected(json, { clientId: 'lonely' });
    await other.channels.get(`${room}-quiet`).attach();
    await until(async () => (await metric(p, `${room}-quiet`, 'connections')) === 1, 'the quiet channel listed');
    await p.locator('button[data-sort="presenceMembers"]').click();
    await until(async () => (await p.locator('#channel-rows tr').first().getAttribute('data-channel')) === channel, 'sorted by members, descending');
    assert.equal(await p.locator('th[aria-sort="descending"]').textContent(), 'presence members ▼');
    await p.locator('button[data-sort="presenceMembers"]').click();
    await until(async () => (await p.locator('#channel-rows tr').first().getAttribute('data-channel')) === `${room}-quiet`, 'ascending');
    await shot(p, 'console-channels');

    // The room's members, with their data; occupancy live from ably-js.
    await p.locator(`#channel-rows tr[data-channel="${channel}"] button`).click();
    await p.locator('#member-rows tr[data-client-id="bob"]').waitFor();
    assert.equal(await p.locator('#member-rows tr').count(), 3);
    const bobRow = p.locator('#member-rows tr[data-client-id="bob"] td');
    assert.deepEqual(JSON.parse(await bobRow.nth(2).textContent()), { status: 'online', seat: 2 });
    assert.match(await bobRow.nth(1).textContent(), /\S+/);
    await until(async () => (await p.locator('#occ-presenceMembers').textContent()) === '3', 'live occupancy: 3 members');
    // The console's own ably-js connection is one more subscriber-connection of the channel.
    await until(async () => (await p.locator('#occ-connections').textContent()) === '4', 'live occupancy: 4 connections');

    // Carol leaves: the list, the live occupancy, the members table and the log all show it.
    await users[2].room.presence.leave();
    await until(async () => (await p.locator('#occ-presenceMembers').textContent()) === '2', 'occupancy after a leave');
    await until(async () => (await metric(p, channel, 'presenceMembers')) === 2, 'list after a leave');
    await until(async () => (await p.locator('#member-rows tr').count()) === 2, 'members after a leave');
    await p.locator('#log li', { hasText: 'presence leave' }).first().waitFor();

    // Publish from the console: a chat user's raw channel receives it, and the log shows it.
    const watcher = await connected(json, { clientId: 'watcher' });
    const got = [];
    await watcher.channels.get(channel).subscribe('console-test', (m) => got.push(m.data));
    await p.getByLabel('Name', { exact: true }).fill('console-test');
    await p.getByLabel('Data', { exact: true }).fill('{"hello":"from the console"}');
    await p.getByRole('button', { name: 'Publish', exact: true }).click();
    await until(() => got.length === 1, 'the published message delivered');
    assert.deepEqual(got[0], { hello: 'from the console' });
    await p.locator('#log li', { hasText: 'console-test' }).first().waitFor();

    // Enter presence as a test client: the chat users see the member.
    await p.getByLabel('clientId', { exact: true }).fill('tester');
    await p.getByLabel('Data (JSON or text)').fill('{"status":"testing"}');
    await p.getByRole('button', { name: 'Enter', exact: true }).click();
    await until(async () => (await users[0].room.presence.get()).some((m) => m.clientId === 'tester'), 'chat sees the test client');
    await p.locator('#member-rows tr[data-client-id="tester"]').waitFor();
    // Filter members server-side.
    await p.getByLabel('Filter by clientId').fill('test');
    await until(async () => (await p.locator('#member-rows tr').count()) === 1, 'members filtered');
    await p.getByLabel('Filter by clientId').fill('');
    await until(async () => (await p.locator('#member-rows tr').count()) === 3, 'filter cleared');

    // Keyboard only: the sort buttons and channel buttons are reachable and usable.
    await p.locator('#channel-filter').focus();
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate(() => document.activeElement.id), 'page-size');

    // Webhook rules: the presence rule delivered to the real receiver; the failing one retried.
    await until(async () => Number(await p.locator(`#webhook-rows tr[data-rule="${HOOK_OK}"] td[data-field="delivered"]`).textContent()) > 0,
      'delivered counter moves');
    await until(async () => Number(await p.locator(`#webhook-rows tr[data-rule="${HOOK_FAILING}"] td[data-field="failed"]`).textContent()) > 0,
      'failed counter moves');
    assert.ok(Number(await p.locator(`#webhook-rows tr[data-rule="${HOOK_FAILING}"] td[data-field="retried"]`).textContent()) > 0);
    // The node list (memory engine: this node only).
    assert.equal(await p.locator('#node-rows tr').count(), 1);
    assert.equal(await p.locator('#node-rows tr td').nth(1).textContent(), 'yes');
    await p.locator('#webhooks').scrollIntoViewIfNeeded();
    assert.deepEqual(await accessibilityViolations(p), [], 'channel view: WCAG 2 A/AA (contrast, labels, names)');
    await shot(p, 'console-channel');
    await p.close();
  });

  it('stays usable with 10,000 channels and 10,000 members (server-side paging and filtering)', async () => {
    const prefix = unique('scale');
    // 10 connections holding 1,000 channels each, and 10,000 members on one channel (enterClient). The holders
    // need no presence events (10,000 echoes of their own enters are only load on a starved Node process).
    const holders = [];
    const drops = [];
    const modes = { modes: ['PUBLISH', 'SUBSCRIBE', 'PRESENCE'] };
    for (let c = 0; c < 10; c += 1) {
      const rt = await connected(json);
      rt.connection.on('disconnected', (change) => drops.push(`holder ${c}: ${change.reason?.code} ${change.reason?.message}`));
      holders.push(rt);
      await Promise.all(Array.from({ length: 1000 }, (_, i) => rt.channels.get(`${prefix}-${String(c * 1000 + i).padStart(5, '0')}`, modes).attach()));
    }
    const big = `${prefix}-00000`;
    const bigCh = holders[0].channels.get(big, modes);
    // In bursts of 500: 10,000 enters at once would queue 10,000 ACKs for a client that a loaded machine
    // starves of CPU, past its outbound queue bound, and the server would rightly drop it (80020).
    for (let from = 0; from < 10000; from += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, k) => from + k).map((i) => bigCh.presence.enterClient(`member-${String(i).padStart(4, '0')}`, { n: i })));
    }
    const p = await page();
    await p.goto(`${CONSOLE}#key=${encodeURIComponent(KEY)}`);
    await p.locator('#main').waitFor();
    await p.getByLabel('Filter by name').fill(prefix);
    await p.locator('#channels-range', { hasText: 'of 10000' }).waitFor();
    assert.equal(await p.locator('#channel-rows tr').count(), 50, 'one page in the DOM, not 10,000 rows');
    // Sorting by a metric orders all 10,000 in the server: the big channel (10,000 presence members) first.
    await p.locator('button[data-sort="presenceMembers"]').click();
    await until(async () => (await p.locator('#channel-rows tr').first().getAttribute('data-channel')) === big, 'the big channel first');
    const took = await p.evaluate(async ([q, key]) => {
      const t0 = performance.now();
      await fetch(`/console/api/channels?${q}`, { headers: { Authorization: `Basic ${btoa(key)}` } });
      return performance.now() - t0;
    }, [new URLSearchParams({ filter: prefix, sort: 'presenceMembers', order: 'desc', limit: 50 }).toString(), KEY]);
    console.log(`channels page sorted by a metric over 10,000 channels: ${Math.round(took)} ms`);
    await p.getByRole('button', { name: 'Next page' }).click();
    await p.locator('#channels-range', { hasText: '51–100 of 10000' }).waitFor();
    await p.getByRole('button', { name: 'Previous page' }).click();
    await p.locator(`#channel-rows tr[data-channel="${big}"] button`).click();
    await p.locator('#members-range', { hasText: '1–100 of 10000' }).waitFor();
    assert.equal(await p.locator('#member-rows tr').count(), 100);
    await p.getByLabel('Filter by clientId').fill('member-9999');
    await until(async () => (await p.locator('#member-rows tr').count()) === 1, 'one member found among 10,000');
    assert.equal(await p.locator('#member-rows tr td').nth(2).textContent(), '{"n":9999}');
    await until(async () => (await p.locator('#occ-presenceMembers').textContent()) === '10000', 'live occupancy of the big channel');
    assert.deepEqual(drops, [], 'no holder was dropped');
    for (const rt of holders) rt.close();
    await p.close();
  });

  it('lists the nodes of a cluster and the members of every node', async () => {
    assert.equal(CLUSTER_PORTS.length, 2, 'ROLLCALL_CLUSTER_PORTS: two nodes on one Redis');
    const room = unique('cluster-room');
    const [first, second] = CLUSTER_PORTS;
    const onSecond = realtime(json, { port: second, clientId: 'far-away' });
    await onSecond.connection.once('connected');
    await onSecond.channels.get(room).presence.enter({ node: 'second' });
    const p = await page();
    await p.goto(`http://localhost:${first}/console#key=${encodeURIComponent(KEY)}`);
    await p.locator('#main').waitFor();
    await until(async () => (await p.locator('#node-rows tr').count()) === 2, 'two nodes listed');
    const self = await p.locator('#node-rows tr', { hasText: 'yes' }).count();
    assert.equal(self, 1, 'one of them is this node');
    await p.getByLabel('Filter by name').fill(room);
    await p.locator(`#channel-rows tr[data-channel="${room}"] button`).click();
    await p.locator('#member-rows tr[data-client-id="far-away"]').waitFor();
    assert.equal(await p.locator('#member-rows tr td').nth(2).textContent(), '{"node":"second"}');
    await shot(p, 'console-cluster');
    onSecond.close();
    await p.close();
  });

  it("limits what a key sees to its capability", async () => {
    const p = await page();
    await p.goto(CONSOLE);
    await p.getByLabel('API key').fill(LIMITED_KEY);
    await p.getByLabel('API key').press('Enter');
    await p.locator('#main').waitFor();
    // Subscribe-only: no channel-metadata anywhere, so no channel list, no webhook rules, no nodes.
    await p.locator('#channels-status', { hasText: 'No active channels' }).waitFor();
    await p.locator('#webhooks-status', { hasText: '40160' }).waitFor();
    assert.equal(await p.locator('#webhook-rows tr').count(), 0);
    await p.close();
  });
});
