#!/usr/bin/env node
// `npx ocpp-conformance --sut my-charge-point.json`: the conformance runner from a package install.
// The suite is TypeScript: compile it with this package's tsconfig, wherever the command runs.
const path = require('node:path');
process.env.TS_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.json');
require('ts-node').register({ project: process.env.TS_NODE_PROJECT, transpileOnly: true });
require('./conformance.ts');
