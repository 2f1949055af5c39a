#!/usr/bin/env node
// `npx ocpp-conformance --sut my-charge-point.json`: the conformance runner from a package install.
const path = require('node:path');
require('ts-node').register({ project: path.join(__dirname, '..', 'tsconfig.json'), transpileOnly: true });
require('./conformance.ts');
