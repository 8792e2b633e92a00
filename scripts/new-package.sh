#!/usr/bin/env bash
# Scaffolds packages/<name> with the shared build, test and typecheck setup.
set -euo pipefail
name=$1; desc=${2:-"costtrace $1"}
dir=packages/$name
mkdir -p "$dir/src" "$dir/test"
cat > "$dir/package.json" <<JSON
{
  "name": "@costtrace/$name",
  "version": "0.1.0",
  "description": "$desc",
  "license": "Apache-2.0",
  "type": "module",
  "sideEffects": false,
  "engines": { "node": ">=20.6.0" },
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.cts",
  "exports": {
    ".": {
      "import": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
      "require": { "types": "./dist/index.d.cts", "default": "./dist/index.cjs" }
    },
    "./package.json": "./package.json"
  },
  "files": ["dist", "README.md"],
  "scripts": {
    "build": "tsup",
    "typecheck": "tsc -p tsconfig.json"
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "include": ["src", "test"]
}
JSON
cat > "$dir/tsup.config.ts" <<TS
import { packageBuild } from '../../scripts/tsup-package';

export default packageBuild();
TS
cat > "$dir/vitest.config.ts" <<TS
import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../scripts/vitest-aliases.ts';

export default defineProject({
  resolve: { alias: sourceAliases() },
  test: { name: '$name', include: ['test/**/*.test.ts'] },
});
TS
