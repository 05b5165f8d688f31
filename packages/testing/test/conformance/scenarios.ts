import { listScenarios } from './scenarios/lists.js';
import { objectScenarios } from './scenarios/objects.js';
import { patchScenarios } from './scenarios/patches.js';
import { resourceScenarios } from './scenarios/resources.js';
import type { Scenario } from './scenarios/scenario.js';
import { watchScenarios } from './scenarios/watches.js';

export type { Observation, Scenario } from './scenarios/scenario.js';

/** Every conformance scenario, in the order of the suite and the README table. */
export const scenarios: readonly Scenario[] = [
  ...objectScenarios,
  ...listScenarios,
  ...watchScenarios,
  ...patchScenarios,
  ...resourceScenarios,
];
