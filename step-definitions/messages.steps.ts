import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
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
    const { failure } = this.lastCheck();
    expect(failure?.kind, 'the message was accepted').to.equal('invalid');
    const issues = failure?.kind === 'invalid' ? failure.errors.map((e) => `${e.path} ${e.rule}`) : [];
    this.log(`schema violations: ${issues.join('; ')}`);
    expect(issues).to.include(`/${field} required`);
  },
);

Then('the answer to it would be a {string} error', function (this: ConformanceWorld, code: string) {
  const { failure } = this.lastCheck();
  expect(failure?.kind === 'invalid' ? failure.code : 'no error').to.equal(code);
});

Then('the message is accepted', function (this: ConformanceWorld) {
  const { failure } = this.lastCheck();
  expect(failure, JSON.stringify(failure)).to.equal(undefined);
});
