/** A seeded pseudo-random generator (mulberry32): a number in [0, 1) per call, the same sequence for the same seed. */
export function rng(seed: number): () => number;
