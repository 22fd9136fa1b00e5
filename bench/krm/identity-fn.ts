// The baseline reflect-fn is measured against: the same reading and writing of a ResourceList (same code, same
// options, the same stdin and stdout as krm-function/main.ts), with no planning. Bundled by run.ts into a temporary
// executable.
import { readInput } from '../../krm-function/protocol.ts';
import { readText, writePieces } from '../../krm-function/stdio.ts';
import { decodeUtf8 } from '../../krm-function/yaml-text.ts';

const input = readInput(decodeUtf8(await readText(process.stdin), 'stdin'), 'stdin');
if (input.kind !== 'resource-list') throw new Error('stdin is not a ResourceList');
writePieces(input.list.write(input.list.items, []), (bytes) => process.stdout.write(bytes));
