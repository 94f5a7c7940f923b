import type { Collection } from 'mongodb';
import { AppError } from '../errors';

/**
 * Characters of text per document part. A document holds at most 16 MiB; 4 Mi characters stay below it even as
 * 3-byte UTF-8, with room for the document's other fields.
 */
export const PART_CHARS = 4 * 1024 * 1024;

/** A text stored under `_id`, cut in parts: the first document holds the first part and the number of parts. */
export interface TextPartDoc {
  _id: string;
  text: string;
  parts?: number;
}

const partId = (id: string, part: number): string => (part === 0 ? id : `${id}#${part}`);

/**
 * Stores `text` under `id` in as many documents as it needs (`id`, `id#1`, `id#2`...), `fields` on the first. The
 * first document is written last: once it can be read, every part can. Safe to repeat.
 */
export async function writeTextParts(col: Collection<TextPartDoc>, id: string, text: string, fields: Record<string, unknown> = {}, partChars = PART_CHARS): Promise<void> {
  const slices = cut(text, partChars);
  await Promise.all(slices.slice(1).map((part, i) => col.replaceOne({ _id: partId(id, i + 1) }, { text: part }, { upsert: true })));
  await col.replaceOne({ _id: id }, { ...fields, text: slices[0]!, ...(slices.length > 1 ? { parts: slices.length } : {}) }, { upsert: true });
}

/**
 * `text` in slices of at most `size` UTF-16 units, never between the two halves of a surrogate pair: a lone half
 * would be stored as U+FFFD (strings are UTF-8 in a document), and the character lost.
 */
export function cut(text: string, size: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length || out.length === 0) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - start > 1 && last >= 0xd800 && last <= 0xdbff) end--;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/**
 * The text stored under `id` by {@link writeTextParts}, or null if its first document does not exist. `first`: that
 * document, when the caller has read it already.
 */
export async function readTextParts(col: Collection<TextPartDoc>, id: string, first?: TextPartDoc | null): Promise<string | null> {
  first ??= await col.findOne({ _id: id });
  if (!first) return null;
  let text = first.text;
  for (let i = 1; i < (first.parts ?? 1); i++) {
    const part = await col.findOne({ _id: partId(id, i) });
    if (!part) throw new AppError('INTERNAL_ERROR', `Part ${i} of ${JSON.stringify(id)} in ${col.collectionName} is missing`, { id, part: i });
    text += part.text;
  }
  return text;
}
