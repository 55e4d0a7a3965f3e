import { DEFAULT_CLUSTER } from '../../cluster/names.js';
import { KubelabError } from '../../errors.js';
import type { OptionSpec } from '../command.js';

/** --name, shared by the commands that act on one cluster. */
export const NAME_OPTION: OptionSpec = { type: 'string', short: 'n', arg: 'NAME', help: `cluster name (default "${DEFAULT_CLUSTER}")` };
/** --output, for commands that list things. */
export const OUTPUT_OPTION: OptionSpec = { type: 'string', short: 'o', arg: 'FORMAT', help: 'output format: table (default) or json' };

/** The cluster a command acts on: its positional argument, else --name, else the default. */
export function clusterArg(values: Record<string, unknown>, positionals: string[]): string {
  if (positionals.length > 1) throw new KubelabError(`too many arguments: ${positionals.join(' ')}`, { exitCode: 2, hint: 'give at most one cluster name' });
  const fromFlag = values.name as string | undefined;
  const fromArg = positionals[0];
  if (fromFlag && fromArg && fromFlag !== fromArg) {
    throw new KubelabError(`two different cluster names given: "${fromArg}" and --name "${fromFlag}"`, { exitCode: 2 });
  }
  return fromArg ?? fromFlag ?? DEFAULT_CLUSTER;
}

/** Checks --output and says whether JSON was asked for. */
export function wantsJson(values: Record<string, unknown>): boolean {
  const o = (values.output as string | undefined) ?? 'table';
  if (o !== 'json' && o !== 'table') throw new KubelabError(`unknown output format "${o}"`, { hint: 'use --output json or --output table', exitCode: 2 });
  return o === 'json';
}
