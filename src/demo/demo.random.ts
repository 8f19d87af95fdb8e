/**
 * The demo history's one random stream (mulberry32, the same numbers as `seededRandom` of the grid
 * generator for a seed), with its state readable and restorable: a build saves it with its
 * checkpoint and a resumed build continues the very same stream.
 */
export interface RandomStream {
  (): number;
  /** The generator's whole state: pass it back as `state` to continue the stream from here. */
  state(): number;
}

export function randomStream(seed: number, state?: number): RandomStream {
  let a = (state ?? seed) >>> 0;
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as RandomStream;
  next.state = () => a;
  return next;
}
