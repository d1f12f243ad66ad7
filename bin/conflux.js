#!/usr/bin/env node
// The installed entry point runs the compiled CLI; `npm run build` (or `npm start`) makes dist/.
await import('../dist/cli/main.js');
