// The baseline reflect-fn is measured against: the same reading and writing of a ResourceList (same code, same
// options), with no planning. Bundled by run.ts into a temporary executable.
import { readResourceListText } from '../../krm-function/resource-list.ts';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const rl = readResourceListText(Buffer.concat(chunks).toString('utf8'));
if (rl === undefined) throw new Error('stdin is not a ResourceList');
process.stdout.write(rl.write(rl.items, []));
