// Scheduling
export { scheduler } from './scheduler.js';
export type { ScheduleRequest, SchedulerConfig } from './scheduler.js';
export { runner, DEFAULT_RUNNER_CONCURRENCY } from './runner.js';
export type { RunFunction, RunnerConfig, RunOutcome } from './runner.js';
export { defaultMessageKey } from './queue/defaultMessageKey.js';
