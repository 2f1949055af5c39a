/**
 * Counts unhandled rejections and uncaught exceptions while a test runs, so a test can assert
 * there were none (a listener also keeps one from killing the test process before the assert).
 */
export interface ProcessGuard {
  readonly problems: string[];
  uninstall(): void;
}

export function guardProcess(): ProcessGuard {
  const problems: string[] = [];
  const onRejection = (reason: unknown) => problems.push(`unhandledRejection: ${describe(reason)}`);
  const onException = (error: unknown) => problems.push(`uncaughtException: ${describe(error)}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    problems,
    uninstall: () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`.slice(0, 2000);
  return String(value).slice(0, 500);
}
