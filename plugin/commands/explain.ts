// `kubectl reflect explain SOURCE|MIRROR`.
import { explainObject, formatExplanation } from '../explain.ts';
import type { Io } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { formatObject, parseOutputFormat } from '../output.ts';
import { limitWarning } from '../read-world.ts';
import { parseSourceArg, sourceRefFor } from '../source-ref.ts';

/** Runs explain; returns the exit code. */
export async function runExplain(io: Io, options: GlobalOptions, objectText: string): Promise<number> {
  const format = parseOutputFormat(options.output);
  if (format === 'name') throw new Error('explain prints text, json or yaml; -o name does not apply');
  const arg = parseSourceArg(objectText);
  const session = await io.openSession(options, [arg.kind]);
  try {
    const world = await session.readWorld();
    io.stderr.write(limitWarning(world));
    const ref = sourceRefFor(session.typeNamed(arg.kind), session.namespace, arg.name);
    const explanation = explainObject(world, ref, arg.kind, session.planOptions);
    if (format === 'json' || format === 'yaml') io.stdout.write(formatObject(explanation, format));
    else io.stdout.write(formatExplanation(explanation, format === 'wide'));
    return 0;
  } finally {
    session.close();
  }
}
