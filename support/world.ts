import { type IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import type { Payload } from '../src/ocpp/frames';
import { messagesFor } from '../src/ocpp/messages';
import { sharedValidator, type ValidationFailure } from '../src/ocpp/validator';
import { isOcppVersion, type OcppVersion } from '../src/ocpp/version';

export interface WorldParameters {
  /** `virtual` (default): policy time runs on a virtual clock; `system`: real time. */
  readonly clock?: 'virtual' | 'system';
}

/** The state of one scenario. Steps call its methods; they hold no logic of their own. */
export class ConformanceWorld extends World<WorldParameters> {
  version: OcppVersion = '1.6';
  private checked: { action: string; failure: ValidationFailure | undefined } | undefined;

  constructor(options: IWorldOptions<WorldParameters>) {
    super(options);
  }

  useVersion(version: string): void {
    if (!isOcppVersion(version))
      throw new Error(`unknown OCPP version ${JSON.stringify(version)}; use 1.6 or 2.0.1`);
    this.version = version;
  }

  /** Builds this version's BootNotification, optionally without the model, and checks it. */
  checkBootNotification(options: { withoutModel: boolean }): void {
    const payload = messagesFor(this.version).bootNotificationRequest({ vendor: 'Acme', model: 'Reference' });
    if (options.withoutModel) removeModel(this.version, payload);
    this.checked = {
      action: 'BootNotification',
      failure: sharedValidator().validateRequest(this.version, 'BootNotification', payload),
    };
  }

  /** The outcome of the last check, as a sentence for the report. */
  lastCheck(): { action: string; failure: ValidationFailure | undefined } {
    if (this.checked === undefined) throw new Error('no message was checked in this scenario');
    return this.checked;
  }
}

function removeModel(version: OcppVersion, payload: Payload): void {
  if (version === '1.6') delete payload['chargePointModel'];
  else delete (payload['chargingStation'] as Payload)['model'];
}

setWorldConstructor(ConformanceWorld);
