export { watcher } from './watcher.js';
export type { WatcherConfig, ListWatchApi, InitialListStrategy, ListSemantic } from './watcher.js';
export type { WatcherEvent, WatcherEventType } from './watcherEvent.js';
export { WatcherError, isWatcherError } from './watcherError.js';
export type { WatcherErrorKind, WatcherErrorInit } from './watcherError.js';
