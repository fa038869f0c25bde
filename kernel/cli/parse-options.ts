/** Error translation shared by the label, sci and card commands: bad input exits 2 with a message. */
import { FieldError } from '../../core/field-error';
import { UsageError } from './command';

/** Runs a node:util parseArgs call, turning its errors (unknown option...) into usage errors. */
export function parsingOptions<R>(parse: () => R): R {
  try {
    return parse();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Runs `body`, reporting invalid input (a FieldError naming its field) as a usage error. */
export async function reportingFields<R>(body: () => Promise<R>): Promise<R> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof FieldError) throw new UsageError(e.message);
    throw e;
  }
}
