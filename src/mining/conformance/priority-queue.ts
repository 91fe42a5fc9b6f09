/** A binary min-heap of integer ids by numeric priority, on flat arrays (no object per entry). */
export class PriorityQueue {
  #ids: number[] = [];
  #keys: number[] = [];

  get size(): number {
    return this.#ids.length;
  }

  push(id: number, key: number): void {
    const ids = this.#ids;
    const keys = this.#keys;
    let i = ids.length;
    ids.push(id);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent] as number;
      if (pk <= key) break;
      ids[i] = ids[parent] as number;
      keys[i] = pk;
      i = parent;
    }
    ids[i] = id;
    keys[i] = key;
  }

  /** The id with the smallest key; -1 when empty. */
  pop(): number {
    const ids = this.#ids;
    const keys = this.#keys;
    if (ids.length === 0) return -1;
    const top = ids[0] as number;
    const lastId = ids.pop() as number;
    const lastKey = keys.pop() as number;
    const n = ids.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (keys[r] as number) < (keys[l] as number) ? r : l;
        if ((keys[c] as number) >= lastKey) break;
        ids[i] = ids[c] as number;
        keys[i] = keys[c] as number;
        i = c;
      }
      ids[i] = lastId;
      keys[i] = lastKey;
    }
    return top;
  }
}
