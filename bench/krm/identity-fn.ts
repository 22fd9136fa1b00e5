// The baseline reflect-fn is measured against: the same reading and writing of a ResourceList (same code, same
// options), with no planning. Bundled by run.ts into a temporary executable.
import { parseInput, readResourceList, writeResourceList } from '../../krm-function/resource-list.ts';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const input = parseInput(Buffer.concat(chunks).toString('utf8'));
const rl = readResourceList(input.docs[0]!);
process.stdout.write(writeResourceList(rl, rl.items, []));
