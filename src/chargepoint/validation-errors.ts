/** Turns the validator's verdict into the typed {@link ValidationError} a call rejects with. */
import { type Direction, formatViolation, ValidationError, type ValidationFailure } from '../ocpp';

export function validationError(failure: ValidationFailure, direction: Direction): ValidationError {
  if (failure.kind === 'unknown-action') {
    return new ValidationError(
      failure.action,
      direction,
      [{ path: '', rule: 'unknown-action', message: failure.message, schemaPath: '' }],
      formatViolation(failure.version),
    );
  }
  return new ValidationError(failure.action, direction, failure.errors, failure.code);
}
