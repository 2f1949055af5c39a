import { Given, Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld } from '../support/world';

// Both answer 'skipped' when a third-party charge point cannot be given what the scenario needs.
Given('the charge point is online', function (this: ConformanceWorld) {
  return this.chargePointIsOnline();
});

When('the charge point is started', function (this: ConformanceWorld) {
  return this.startChargePoint();
});

Then('the charge point comes online', async function (this: ConformanceWorld) {
  await this.comesOnlineAgain();
});

Then(
  'the charge point connects again within the back-off window of attempt {int}',
  async function (this: ConformanceWorld, attempt: number) {
    await this.connectsAgainWithinWindow(attempt);
  },
);

Then(
  'the charge point reconnects {int} times, each within the back-off window of its attempt',
  async function (this: ConformanceWorld, count: number) {
    await this.reconnectsWithinWindows(count);
  },
);

Then('no reconnect delay exceeds the maximum back-off', function (this: ConformanceWorld) {
  this.noDelayAboveMaximum();
});

Then(
  'every reconnect delay is at least {float} times the one before',
  function (this: ConformanceWorld, ratio: number) {
    this.eachDelayAtLeast(ratio);
  },
);

Then(
  'the CSMS never sees two connections from the charge point at the same time',
  function (this: ConformanceWorld) {
    this.neverTwoConnectionsAtOnce();
  },
);

Then(
  'the charge point does not go online while no OCPP version is agreed',
  async function (this: ConformanceWorld) {
    await this.notOnlineWithoutSubprotocol();
  },
);

Then(
  'the charge point drops the silent connection within {int} ms',
  async function (this: ConformanceWorld, ms: number) {
    await this.chargePointDropsConnection(ms);
  },
);

Then('the charge point is still on its first connection', function (this: ConformanceWorld) {
  this.stillOnFirstConnection();
});

Then(
  'the charge point is back online within {int} seconds',
  async function (this: ConformanceWorld, seconds: number) {
    await this.comesOnlineWithin(seconds * 1000);
  },
);
