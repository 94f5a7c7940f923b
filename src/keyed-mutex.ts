/**
 * Runs async sections one at a time per key, in arrival order, within this process. FerretDB's conditional updates
 * are not atomic (it reads the matching documents, then writes them by `_id`), so two requests checking the same
 * version, or a delete checking referrers while a create adds one, could both pass; a section per key closes that
 * window for the requests one API process serves.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await section();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a section running or waiting (for tests: the map must not grow). */
  get size(): number {
    return this.tails.size;
  }
}
