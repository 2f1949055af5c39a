import { type DataTable, Given } from '@cucumber/cucumber';
import type { ConformanceWorld } from '../support/world';

Given("the charge point's reconnect policy is:", function (this: ConformanceWorld, table: DataTable) {
  this.setPolicy(table.raw());
});

Given(
  'the charge point pings the CSMS every {int} ms and gives up after {int} ms without a pong',
  function (this: ConformanceWorld, intervalMs: number, pongTimeoutMs: number) {
    this.chargePointPings(intervalMs, pongTimeoutMs);
  },
);
