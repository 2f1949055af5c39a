// Cucumber profiles (`cucumber-js --profile NAME`).
//   default   the reference charge point on the virtual clock (`npm run conformance`)
//   realtime  the same features on the system clock (`npm run conformance:realtime`)
const common = {
  requireModule: ['ts-node/register'],
  require: ['support/**/*.ts', 'step-definitions/**/*.ts'],
  paths: ['features/**/*.feature'],
  formatOptions: { snippetInterface: 'async-await' },
  strict: true,
};

function reports(dir) {
  return [
    'summary',
    `html:${dir}/cucumber-report.html`,
    `junit:${dir}/cucumber-report.xml`,
    `json:${dir}/cucumber-report.json`,
  ];
}

module.exports = {
  default: { ...common, format: reports('reports'), worldParameters: { clock: 'virtual' } },
  realtime: { ...common, format: reports('reports/realtime'), worldParameters: { clock: 'system' } },
};
