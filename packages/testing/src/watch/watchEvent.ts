import type { ResourceDefinition } from '../resources/resourceDefinition.js';
import { viewAs } from '../store/storageViews.js';
import { StoredObject } from '../store/storedObject.js';

/** The event types a write produces. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** How a watcher sees an event: as it happened, as an ADDED (entered a selector) or as a DELETED (left it). */
export type EventView = 'asIs' | 'entered' | 'left';

/**
 * One change in the store. Its watch lines are built lazily and cached on the event, so an
 * event is serialised once whatever the number of watchers.
 */
export class ChangeEvent {
  readonly type: ChangeType;
  readonly resourceVersion: number;
  readonly definition: ResourceDefinition;
  /** New state; for DELETED the last state carrying the deletion's resourceVersion. */
  readonly object: StoredObject;
  /** State before the change (MODIFIED, DELETED). */
  readonly previous: StoredObject | undefined;
  private readonly lines = new Map<string, string>();
  private readonly views = new Map<string, ChangeEvent>();

  constructor(
    type: ChangeType,
    resourceVersion: number,
    object: StoredObject,
    previous: StoredObject | undefined,
  ) {
    this.type = type;
    this.resourceVersion = resourceVersion;
    this.definition = object.definition;
    this.object = object;
    this.previous = previous;
  }

  get namespace(): string | undefined {
    return this.object.namespace;
  }

  /**
   * This event as watchers of `definition` see it: itself when written through that resource,
   * else (a resource sharing its storage, such as the other Event API) the same change with the
   * objects converted to that API's shape. Built once per API, so its lines are shared too.
   */
  as(definition: ResourceDefinition): ChangeEvent {
    if (
      this.definition.group === definition.group &&
      this.definition.plural === definition.plural
    ) {
      return this;
    }
    const key = `${definition.group}/${definition.plural}`;
    let view = this.views.get(key);
    if (view === undefined) {
      const previous = this.previous === undefined ? undefined : viewAs(this.previous, definition);
      view = new ChangeEvent(
        this.type,
        this.resourceVersion,
        viewAs(this.object, definition),
        previous,
      );
      this.views.set(key, view);
    }
    return view;
  }

  /** The newline-terminated watch line for this event seen through `view`. */
  line(view: EventView, metadataOnly: boolean): string {
    const cacheKey = metadataOnly ? `${view}:meta` : view;
    let line = this.lines.get(cacheKey);
    if (line === undefined) {
      line = this.buildLine(view, metadataOnly);
      this.lines.set(cacheKey, line);
    }
    return line;
  }

  private buildLine(view: EventView, metadataOnly: boolean): string {
    const type = view === 'asIs' ? this.type : view === 'entered' ? 'ADDED' : 'DELETED';
    const source = view === 'left' ? this.leftObject() : this.object;
    const json = metadataOnly ? source.metadataJson : source.json;
    return `{"type":"${type}","object":${json}}\n`;
  }

  // Leaving a selector: the apiserver sends the OLD state with the NEW resourceVersion.
  private leftObject(): StoredObject {
    const previous = this.previous ?? this.object;
    const object = structuredClone(previous.object);
    object.metadata = { ...object.metadata, resourceVersion: String(this.resourceVersion) };
    return new StoredObject(object, this.definition);
  }
}
