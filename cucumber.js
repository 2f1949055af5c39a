// Cucumber profiles. `npm run conformance` uses `default` (reference charge point, virtual clock).
const common = {
  requireModule: ['ts-node/register'],
  require: ['support/**/*.ts', 'step-definitions/**/*.ts'],
  paths: ['features/**/*.feature'],
  format: [
    'summary',
    'html:reports/cucumber-report.html',
    'junit:reports/cucumber-report.xml',
    'json:reports/cucumber-report.json',
  ],
  formatOptions: { snippetInterface: 'async-await' },
  strict: true,
};

module.exports = {
  default: { ...common, worldParameters: { clock: 'virtual' } },
  realtime: { ...common, worldParameters: { clock: 'system' } },
};
