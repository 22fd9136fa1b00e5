// The baseline reflect-fn is measured against: the same reading and writing of a ResourceList (same code, same
// options), with no planning. Bundled by run.ts into a temporary executable.
import { readInput } from '../../krm-function/protocol.ts';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const input = readInput(Buffer.concat(chunks).toString('utf8'), 'stdin');
if (input.kind !== 'resource-list') throw new Error('stdin is not a ResourceList');
process.stdout.write(input.list.write(input.list.items, []));
