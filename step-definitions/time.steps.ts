import { When } from '@cucumber/cucumber';
import type { ConformanceWorld } from '../support/world';

When('{int} second(s) pass(es)', async function (this: ConformanceWorld, seconds: number) {
  await this.timePasses(seconds * 1000);
});
