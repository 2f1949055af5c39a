import { Given, Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld } from '../support/world';

Given('the charge point speaks OCPP {word}', function (this: ConformanceWorld, version: string) {
  this.useVersion(version);
});

When('it describes itself in a BootNotification without its model', function (this: ConformanceWorld) {
  this.checkBootNotification({ withoutModel: true });
});

When('it describes itself in a complete BootNotification', function (this: ConformanceWorld) {
  this.checkBootNotification({ withoutModel: false });
});

Then(
  'the message is rejected because the field {string} is missing',
  function (this: ConformanceWorld, field: string) {
    this.rejectedForMissing(field);
  },
);

Then('the answer to it would be a {string} error', function (this: ConformanceWorld, code: string) {
  this.answeredWith(code);
});

Then('the message is accepted', function (this: ConformanceWorld) {
  this.accepted();
});

Then(
  'its first message on the new connection is a {word}',
  async function (this: ConformanceWorld, action: string) {
    await this.firstMessageOnNewConnectionIs(action);
  },
);

Then(
  'once the boot is accepted, heartbeats resume after the resume delay',
  async function (this: ConformanceWorld) {
    await this.heartbeatsResumeAfterResumeDelay();
  },
);

Then('it sends no BootNotification on the new connection', function (this: ConformanceWorld) {
  this.noBootOnNewConnection();
});

Then(
  'its heartbeats resume the resume delay after the connection opened',
  async function (this: ConformanceWorld) {
    await this.heartbeatsResumeAfterOpen();
  },
);

Then(
  'it keeps sending heartbeats: {int} more arrive',
  async function (this: ConformanceWorld, count: number) {
    await this.heartbeatsKeepComing(count);
  },
);

Then(
  'it sends nothing but BootNotifications until its boot is accepted',
  async function (this: ConformanceWorld) {
    await this.onlyBootUntilAccepted();
  },
);

Then('it retries the BootNotification no sooner than the retry interval', function (this: ConformanceWorld) {
  this.bootRetriedNoSoonerThanInterval();
});

When(
  'the charge point sends {int} numbered messages in quick succession',
  function (this: ConformanceWorld, count: number) {
    this.sendNumberedMessages(count);
  },
);

Then('no message from before the drop reaches the CSMS again', async function (this: ConformanceWorld) {
  await this.nothingFromBeforeTheDropAgain();
});

Then('the new messages arrive in order, each once', async function (this: ConformanceWorld) {
  await this.latestBatchArrivesInOrder();
});

Then(
  'each numbered message reaches the CSMS only after the one before was answered',
  async function (this: ConformanceWorld) {
    await this.oneNumberedMessageInFlight();
  },
);

Then('no message id is ever used twice', function (this: ConformanceWorld) {
  this.noMessageIdUsedTwice();
});

Then('the charge point answers {word}', async function (this: ConformanceWorld, status: string) {
  await this.triggerAnswered(status);
});

Then('a {word} arrives', async function (this: ConformanceWorld, action: string) {
  await this.messageArrivesAfterTrigger(action);
});

Then(
  'no {word} arrives within {int} seconds',
  async function (this: ConformanceWorld, action: string, seconds: number) {
    await this.noMessageFor(action, seconds * 1000);
  },
);
