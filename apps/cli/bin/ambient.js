#!/usr/bin/env node
// The `ambient` command. The CLI runs from its TypeScript sources (ADR 0005): register tsx's loader,
// then load the real entry point.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
