import { InputRejectedError } from '../errors.js';
import type { ExportRepo } from '../../db/repositories/export.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits chunks of text (stdin) into lines, across chunk boundaries. */
async function* lines(chunks: AsyncIterable<string | Buffer> | Iterable<string>): AsyncGenerator<string> {
  let rest = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const parts = rest.split(/\r?\n/);
    rest = parts.pop() ?? '';
    yield* parts;
  }
  rest += decoder.decode();
  if (rest !== '') yield rest;
}

/**
 * The first field of a line: `carnet list --csv | carnet export --ids`
 * works, as does a plain list of ids or uids. A header line (id, uid) and
 * blank or # lines are skipped.
 */
function refOf(line: string): string {
  const first = line.split(/[,;\t]/, 1)[0] ?? '';
  return first.trim().replace(/^"(.*)"$/, '$1').replace(/^\ufeff/, '').trim();
}

/**
 * Loads the ids and uids of --ids into the export's staging table; returns
 * how many matched no customer. A line that is neither is refused (exit 3)
 * before anything is written, naming its line number.
 */
export async function loadIds(repo: ExportRepo, chunks: AsyncIterable<string | Buffer> | Iterable<string>): Promise<{ given: number; notFound: number }> {
  repo.resetIds();
  let lineNo = 0;
  let given = 0;
  let notFound = 0;
  let seenData = false;
  for await (const line of lines(chunks)) {
    lineNo++;
    const ref = refOf(line);
    if (ref === '' || ref.startsWith('#')) continue;
    if (!seenData && /^(id|uid)$/i.test(ref)) continue;
    seenData = true;
    given++;
    let found: boolean;
    if (/^\d{1,15}$/.test(ref)) found = repo.addId({ id: Number(ref) });
    else if (UUID.test(ref)) found = repo.addId({ uid: ref.toLowerCase() });
    else {
      throw new InputRejectedError(
        `--ids, line ${lineNo}: '${ref.length > 40 ? ref.slice(0, 40) + '…' : ref}' is neither an id nor a uid`,
        'give one customer id (42) or uid per line, e.g. carnet list --where … --csv | carnet export --ids',
      );
    }
    if (!found) notFound++;
  }
  return { given, notFound };
}
