#!/bin/sh
# Runs the reflect-fn benchmark without npm: node runs the TypeScript through the tsx loader in node_modules.
cd "$(dirname "$0")/../.." && exec node --import tsx bench/krm/run.ts "$@"
