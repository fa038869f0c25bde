/** `gaissa hf mine`: a carbon population mined from Hugging Face model cards. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HubError } from '../hf/hub-cards';
import { defaultCacheDir } from '../hf/local-cards';
import { mineCards, MiningSource, writePopulationCsv } from '../hf/mine-cards';
import { miningText } from '../hf/mining-report';
import { Command, CliIO, UsageError } from './command';
import { parsingOptions, reportingFields } from './parse-options';

const usage = `Usage: gaissa hf mine (--dir DIR | --cache [DIR] | --hub [--endpoint URL] [--limit N])
                      --out POP.csv [--json]

Reads Hugging Face model cards (the co2_eq_emissions of README.md's YAML front matter: grams, or
{ emissions, source, training_type, geographical_location, hardware_used }; "1.2 kg" and an
emissions_unit of kg or t are converted to grams) and writes a population CSV with the columns
of GAISSA's Hugging Face study, usable as a label population ({ "population": { "path": ... } }).
Prints the cards read, the share reporting CO2e, the distribution of CO2e (min, 20/40/60/80th
percentiles, max) and the malformed cards, which are listed and skipped.

Sources (one):
  --dir DIR        a folder tree of model folders, each with a README.md; the model id is the
                   folder's path under DIR
  --cache [DIR]    a Hugging Face cache (default HF_HUB_CACHE, HF_HOME/hub or
                   ~/.cache/huggingface/hub): models--OWNER--NAME, the snapshot refs/main names
  --hub            the Hugging Face Hub: the models listed with the tag co2_eq_emissions
    --endpoint URL the Hub's address (default HF_ENDPOINT, else https://huggingface.co)
    --limit N      read at most N models (default 1000)

Options:
  --out FILE       the population CSV (written whole or not at all, never over a card read)
  --json           print the summary as JSON instead of text

Exit status: 0 ok; 2 bad usage, a source that cannot be read, a Hub that cannot be reached or
an output that cannot be written.`;

/** Cards between two progress lines on standard error. */
const PROGRESS_EVERY = 100;

/** `--cache` may come without a folder: node:util's parseArgs needs one, so the default is put in. */
function withCacheValue(args: string[]): string[] {
  return args.flatMap((arg, i) =>
    arg === '--cache' && (i + 1 >= args.length || args[i + 1].startsWith('-'))
      ? [`--cache=${defaultCacheDir()}`]
      : [arg]
  );
}

function sourceOf(values: {
  dir?: string;
  cache?: string;
  hub?: boolean;
  endpoint?: string;
  limit?: string;
}): MiningSource {
  const given = (['dir', 'cache', 'hub'] as const).filter(k => values[k] !== undefined);
  if (given.length !== 1)
    throw new UsageError('give one source: --dir DIR, --cache [DIR] or --hub');
  if (!values.hub && (values.endpoint !== undefined || values.limit !== undefined)) {
    throw new UsageError('--endpoint and --limit go with --hub');
  }
  if (values.dir !== undefined) return { dir: resolve(values.dir) };
  if (values.cache !== undefined) return { cache: resolve(values.cache) };
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || !Number.isSafeInteger(limit) || limit < 1) {
      throw new UsageError(`--limit must be a whole number >= 1, got ${values.limit}`);
    }
  }
  return { hub: { endpoint: values.endpoint, limit } };
}

async function mine(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsingOptions(() =>
    parseArgs({
      args: withCacheValue(args),
      options: {
        dir: { type: 'string' },
        cache: { type: 'string' },
        hub: { type: 'boolean' },
        endpoint: { type: 'string' },
        limit: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' }
      },
      allowPositionals: true,
      strict: true
    })
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const source = sourceOf(values);
  if (!values.out) throw new UsageError('--out POP.csv is required');
  const out = resolve(values.out);
  // Found out before a long run, not after it.
  if ((await stat(out).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`--out: ${out} is a directory`);
  }
  const mining = await reportingFields(async () => {
    try {
      return await mineCards(source, {
        onProgress: read => {
          if (!values.json && read % PROGRESS_EVERY === 0) {
            io.stderr(`gaissa hf mine: ${read} cards read\n`);
          }
        }
      });
    } catch (e) {
      if (e instanceof HubError) throw new UsageError(e.message);
      throw e;
    }
  });
  await writePopulationCsv(out, mining);
  io.stdout(
    values.json
      ? JSON.stringify({ ...mining.summary, out }, null, 2) + '\n'
      : miningText(mining.summary, out)
  );
  return 0;
}

export const hf: Command = {
  name: 'hf',
  summary: 'mine Hugging Face model cards for a training-CO2e population (hf mine)',
  usage,
  async run(args, io) {
    if (args[0] !== 'mine')
      throw new UsageError(`unknown hf command '${args[0] ?? ''}': try 'hf mine'`);
    return mine(args.slice(1), io);
  }
};
