import { After, Before, setDefaultTimeout } from '@cucumber/cucumber';
import type { ConformanceWorld } from './world';

// Every wait inside a step is bounded on its own and says what it waited for; this is only the
// outer safety net for one step.
setDefaultTimeout(60_000);

Before(async function (this: ConformanceWorld) {
  await this.prepare();
});

// A scenario that needs the reference charge point's insides is NOT APPLICABLE to another one.
Before({ tags: '@reference-only' }, function (this: ConformanceWorld) {
  return this.referenceOnly();
});

// Stops the charge point and the CSMS, attaches the frame log and the timeline, and fails the
// scenario on any finding it did not expect (@SchemaValidity is this global check).
After(async function (this: ConformanceWorld) {
  await this.finish();
});
