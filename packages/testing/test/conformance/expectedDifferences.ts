import type { Observation } from './scenarios.js';

/** A behaviour where the in-memory server is known to differ from kube-apiserver. */
export interface ExpectedDifference {
  /** What differs, in a few words, for the README table. */
  readonly note: string;
  /** What the in-memory server answers today (the suite asserts it, so this stays true). */
  readonly inMemory: Observation;
}

/**
 * Known differences of the in-memory server, by scenario id. The conformance suite asserts the
 * in-memory server's current answer for these (and the real server's for every scenario), so a
 * fix in the in-memory server fails its scenario here until the entry is removed; the README
 * table (`npm run conformance:table`) is generated from this map.
 */
export const expectedDifferences: Readonly<Record<string, ExpectedDifference>> = {};
