#!/usr/bin/env node
// A charge point written by someone else, for trying the suite on a stack that is not ours: an
// OCPP 1.6 client on the `ocpp-rpc` package (its own exponential reconnect, no jitter, no resume
// delay). Usage: node examples/third-party/ocpp-rpc-cp.js URL INITIAL_BACKOFF_MS MAX_BACKOFF_MS
const { RPCClient, createRPCError } = require('ocpp-rpc');

const [url, initial = '500', max = '30000'] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: ocpp-rpc-cp.js URL INITIAL_BACKOFF_MS MAX_BACKOFF_MS\n');
  process.exit(2);
}
const slash = url.lastIndexOf('/');
const client = new RPCClient({
  endpoint: url.slice(0, slash),
  identity: decodeURIComponent(url.slice(slash + 1)),
  protocols: ['ocpp1.6'],
  strictMode: true,
  reconnect: true,
  pingIntervalMs: 0,
  backoff: { initialDelay: Number(initial), maxDelay: Number(max), factor: 2, randomisationFactor: 0 },
});

let heartbeat;
let accepted = false;
const log = (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const send = (method, params) =>
  client.call(method, params).catch((error) => log(`${method} failed: ${error.message}`));
const statusNotification = () =>
  send('StatusNotification', {
    connectorId: 1,
    errorCode: 'NoError',
    status: 'Available',
    timestamp: new Date().toISOString(),
  });

client.on('open', async () => {
  log('open');
  clearInterval(heartbeat);
  accepted = false;
  for (;;) {
    const boot = await client
      .call('BootNotification', { chargePointVendor: 'Example', chargePointModel: 'ocpp-rpc' })
      .catch(() => undefined);
    if (boot === undefined) return;
    log(`boot ${boot.status}`);
    if (boot.status === 'Accepted') {
      accepted = true;
      send('Heartbeat', {});
      heartbeat = setInterval(() => send('Heartbeat', {}), boot.interval * 1000);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, boot.interval) * 1000));
  }
});
// 'disconnect' on every lost connection ('close' only when the client gives up for good).
client.on('disconnect', ({ code }) => {
  log(`disconnect ${code}`);
  clearInterval(heartbeat);
  accepted = false;
});
client.handle('TriggerMessage', ({ params }) => {
  if (!accepted) return { status: 'Rejected' };
  if (params.requestedMessage === 'Heartbeat') setImmediate(() => send('Heartbeat', {}));
  else if (params.requestedMessage === 'StatusNotification') setImmediate(statusNotification);
  else return { status: 'NotImplemented' };
  return { status: 'Accepted' };
});
client.handle(({ method }) => {
  throw createRPCError('NotImplemented', `${method} is not implemented`);
});

const stop = () => client.close({ code: 1000 }).finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
client.connect().catch((error) => {
  log(`could not connect: ${error.message}`);
  process.exit(1);
});
