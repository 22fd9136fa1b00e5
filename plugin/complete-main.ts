/** Entry point of kubectl_complete-reflect: kubectl (1.26+) runs it with the words after `kubectl reflect`. */
import { clusterLookup } from './completion-lookup.ts';
import { complete, formatCompletion } from './completion.ts';

const words = process.argv.slice(2);
complete(words, clusterLookup(words)).then(
  (result) => process.stdout.write(formatCompletion(result)),
  () => process.stdout.write(':4\n'),
);
