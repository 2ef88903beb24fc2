#!/usr/bin/env node
// The ganstudio command: builds on first use (or after a source change), then runs the CLI.
import { build } from '../scripts/build.js';

build();
const { main } = await import('../out/main/cli.js');
process.exitCode = await main(process.argv.slice(2));
