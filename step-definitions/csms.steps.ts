import { Given, Then, When } from '@cucumber/cucumber';
import type { FindingKind } from '../src/csms';
import type { ConformanceWorld } from '../support/world';

Given(
  'the CSMS accepts the charge point with a heartbeat every {int} second(s)',
  function (this: ConformanceWorld, intervalS: number) {
    this.csmsAccepts(intervalS);
  },
);

Given(
  'the CSMS answers the first boot with {word} and a retry interval of {int} second(s), then accepts it',
  function (this: ConformanceWorld, status: 'Pending' | 'Rejected', retryS: number) {
    this.csmsAnswersFirstBoot(status, retryS);
  },
);

Given(
  'the CSMS answers every boot with {word} and a retry interval of {int} second(s)',
  function (this: ConformanceWorld, status: 'Pending' | 'Rejected', retryS: number) {
    this.csmsAnswersEveryBoot(status, retryS);
  },
);

Given(
  'the CSMS closes the next {int} connections right after the handshake',
  function (this: ConformanceWorld, connections: number) {
    this.csmsClosesAfterHandshake(connections);
  },
);

Given(
  'the CSMS refuses the next {int} connection attempts with HTTP {int}',
  function (this: ConformanceWorld, attempts: number, status: number) {
    this.csmsRefusesUpgrades(attempts, status);
  },
);

Given(
  'the CSMS agrees on no OCPP version with the charge point for the next {int} connections',
  function (this: ConformanceWorld, connections: number) {
    this.csmsOffersNoCommonSubprotocol(connections);
  },
);

Given(
  'the CSMS answers each numbered message only after {int} ms',
  function (this: ConformanceWorld, ms: number) {
    this.csmsDelaysNumberedAnswers(ms);
  },
);

Given(
  'the CSMS drops the connection when numbered message {int} arrives',
  function (this: ConformanceWorld, n: number) {
    this.csmsDropsOnNumberedMessage(n);
  },
);

Given("nothing accepts connections at the CSMS's address", async function (this: ConformanceWorld) {
  await this.nothingAcceptsConnections();
});

When(
  'the CSMS restarts and is gone for {int} second(s)',
  async function (this: ConformanceWorld, seconds: number) {
    await this.csmsRestarts(seconds * 1000);
  },
);

When('the CSMS starts accepting connections', async function (this: ConformanceWorld) {
  await this.csmsStartsAccepting();
});

When('the CSMS closes the connection', async function (this: ConformanceWorld) {
  await this.csmsClosesConnection();
});

When('the network cuts the connection without warning', async function (this: ConformanceWorld) {
  await this.connectionIsCut();
});

When('the CSMS stops answering pings', function (this: ConformanceWorld) {
  this.csmsStopsAnsweringPings();
});

When(
  'the CSMS pings the charge point every {int} ms and waits {int} ms for each pong',
  function (this: ConformanceWorld, intervalMs: number, pongTimeoutMs: number) {
    this.csmsPings(intervalMs, pongTimeoutMs);
  },
);

When(
  'the CSMS drops the connection {int} times, each time once the charge point is back online',
  async function (this: ConformanceWorld, times: number) {
    await this.dropsAndReconnects(times);
  },
);

When('the CSMS asks the charge point to send a {word}', function (this: ConformanceWorld, message: string) {
  this.csmsTriggers(message);
});

Then('the CSMS found nothing wrong', function (this: ConformanceWorld) {
  this.noFindings();
});

Then('the CSMS reports a {word} finding', async function (this: ConformanceWorld, kind: FindingKind) {
  await this.findingReported(kind);
});

When(
  'the CSMS answers the next {word} with a message that breaks its schema',
  function (this: ConformanceWorld, action: string) {
    this.csmsAnswersInvalid(action);
  },
);
