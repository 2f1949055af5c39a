import { Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld } from '../support/world';

// Steps that reach into the reference charge point (scenarios tagged @reference-only).

When(
  'the application sends a message while the charge point is offline',
  async function (this: ConformanceWorld) {
    await this.sendWhileOffline();
  },
);

Then(
  'the message fails at once with a connection-closed error and nothing reaches the CSMS',
  function (this: ConformanceWorld) {
    this.failedAtOnceWithConnectionClosed();
  },
);

Then('every numbered message settles exactly once', async function (this: ConformanceWorld) {
  await this.everyNumberedMessageSettledOnce();
});

Then('the unanswered ones fail with a connection-closed error', function (this: ConformanceWorld) {
  this.unansweredFailedWithConnectionClosed();
});

When('the charge point is stopped', async function (this: ConformanceWorld) {
  await this.stopChargePoint();
});

Then(
  'no connection attempt follows within {int} seconds',
  async function (this: ConformanceWorld, seconds: number) {
    await this.noConnectionAttemptFor(seconds * 1000);
  },
);

When("the charge point's connection is force-dropped", function (this: ConformanceWorld) {
  this.forceDrop();
});

When('the charge point is told to disconnect', async function (this: ConformanceWorld) {
  await this.disconnectChargePoint();
});

When('the charge point is told to connect', function (this: ConformanceWorld) {
  this.connectChargePoint();
});

Then(
  'its metrics show {int} reconnect attempt(s), the last close as {word}, and the measured reconnect',
  function (this: ConformanceWorld, attempts: number, reason: string) {
    this.metricsShow({ attempts, reason });
  },
);
