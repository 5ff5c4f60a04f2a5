#!/usr/bin/env node
// Entry point of the `onebit` command: runs the compiled CLI in ../dist.
import '../dist/main.js';
