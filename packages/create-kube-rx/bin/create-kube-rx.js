#!/usr/bin/env node
// `npm create kube-rx@latest my-operator` runs this.
import { main } from '../src/main.js';

process.exitCode = await main(process.argv.slice(2));
