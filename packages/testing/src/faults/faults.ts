import { requestMatches, type RequestFacts, type RequestMatch } from './faultRule.js';

/**
 * A programmed response: matching requests get `status` (with a proper `Status` body, or `body`)
 * and a `Retry-After` header when `retryAfterSeconds` is given; `delayMs` delays them first.
 * With `delayMs` and no `status` the request is only delayed, then served normally.
 */
export interface FaultRule extends RequestMatch {
  /** HTTP status to answer with. Absent: only delay. */
  status?: number;
  /** Sets `Retry-After` and `details.retryAfterSeconds`. */
  retryAfterSeconds?: number;
  /** How many matching requests the rule applies to. Default: unlimited. */
  times?: number;
  /** Delay before answering (or before serving normally when `status` is absent). Default 0. */
  delayMs?: number;
  /** Response body instead of the generated `Status` (JSON-serialised unless a string). */
  body?: unknown;
}

/** Which requests get their connection reset, and when. */
export interface ResetRule extends RequestMatch {
  /** Default: unlimited. */
  times?: number;
  /**
   * `'request'` (default): the socket is destroyed before any response byte. `'body'`: after the
   * headers and part of the body (for a WATCH: after its initial events), so the client sees the
   * stream break mid-way.
   */
  stage?: 'request' | 'body';
}

/** Handle on an injected rule. */
export interface InjectedFault {
  /** How many requests the rule has applied to so far. */
  readonly hits: number;
  /** Stops the rule. */
  remove(): void;
}

/** What the fault controller acts on (implemented by the server). */
export interface FaultTargets {
  dropWatches(): void;
  malformedWatchLine(): void;
  compact(): void;
  resetOpenConnections(): void;
  refuseConnections(on: boolean): Promise<void>;
}

/** What applies to one request, decided when it arrives. */
export interface FaultDecision {
  delayMs: number;
  response: FaultRule | undefined;
  reset: 'request' | 'body' | undefined;
}

interface Armed<R> {
  rule: R;
  remaining: number;
  hits: number;
  removed: boolean;
}

/**
 * Deterministic fault injection for the test apiserver (`server.faults`). Rules are consulted
 * in the order they were added; each applies to its next `times` matching requests.
 *
 * @example
 * ```ts
 * server.faults.inject({ verb: 'list', resource: 'configmaps', status: 503, retryAfterSeconds: 1, times: 2 });
 * server.faults.resetConnections({ verb: 'watch', times: 1 });
 * server.faults.dropWatches();
 * ```
 */
export class Faults {
  private readonly targets: FaultTargets;
  private injected: Armed<FaultRule>[] = [];
  private resets: Armed<ResetRule>[] = [];

  constructor(targets: FaultTargets) {
    this.targets = targets;
  }

  /**
   * Answers matching requests with `rule.status` (or only delays them), `rule.times` times.
   * Throws `TypeError` for an invalid rule.
   */
  inject(rule: FaultRule): InjectedFault {
    if (rule.status === undefined && rule.delayMs === undefined) {
      throw new TypeError('faults.inject: give a status, a delayMs, or both');
    }
    if (
      rule.status !== undefined &&
      (!Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)
    ) {
      throw new TypeError(`faults.inject: status must be an HTTP status code, got ${rule.status}`);
    }
    if (rule.delayMs !== undefined && !(rule.delayMs >= 0)) {
      throw new TypeError('faults.inject: delayMs must be >= 0');
    }
    return this.arm(this.injected, rule);
  }

  /**
   * With a rule: destroys the connection of matching requests (`times` times, default forever),
   * before the response or mid-body (`stage`). Without: destroys every open connection once
   * (idle keep-alive sockets, in-flight requests and watches).
   */
  resetConnections(rule?: ResetRule): InjectedFault | undefined {
    if (rule === undefined) {
      this.targets.resetOpenConnections();
      return undefined;
    }
    return this.arm(this.resets, rule);
  }

  /** Ends every open watch abruptly: the socket is destroyed, without the terminating chunk. */
  dropWatches(): void {
    this.targets.dropWatches();
  }

  /** Every open watch gets a malformed (non-JSON) line before its next line. */
  malformedWatchLine(): void {
    this.targets.malformedWatchLine();
  }

  /**
   * Forgets the event history and the LIST snapshots: a WATCH from an older resourceVersion
   * gets an ERROR event with 410 Expired, and earlier continue tokens 410.
   */
  compact(): void {
    this.targets.compact();
  }

  /**
   * `true`: closes the listening socket and destroys open connections, so clients get
   * ECONNREFUSED; `false`: listens again on the same port. Await it to know it took effect.
   */
  refuseConnections(on: boolean): Promise<void> {
    return this.targets.refuseConnections(on);
  }

  /** Removes every injected and reset rule (does not undo `refuseConnections(true)`). */
  clear(): void {
    for (const armed of [...this.injected, ...this.resets]) armed.removed = true;
    this.injected = [];
    this.resets = [];
  }

  /** Decides what happens to a request (consumes one `times` of each rule that applies). */
  decide(facts: RequestFacts): FaultDecision {
    let delayMs = 0;
    let response: FaultRule | undefined;
    for (const armed of this.injected) {
      if (armed.removed || armed.remaining <= 0 || !requestMatches(armed.rule, facts)) continue;
      if (armed.rule.status === undefined) {
        delayMs += armed.rule.delayMs ?? 0;
        this.consume(armed);
      } else if (response === undefined) {
        response = armed.rule;
        delayMs += armed.rule.delayMs ?? 0;
        this.consume(armed);
      }
    }
    let reset: FaultDecision['reset'];
    for (const armed of this.resets) {
      if (armed.removed || armed.remaining <= 0 || !requestMatches(armed.rule, facts)) continue;
      reset = armed.rule.stage ?? 'request';
      this.consume(armed);
      break;
    }
    this.injected = this.injected.filter((a) => !a.removed && a.remaining > 0);
    this.resets = this.resets.filter((a) => !a.removed && a.remaining > 0);
    return { delayMs, response, reset };
  }

  private arm<R extends { times?: number }>(list: Armed<R>[], rule: R): InjectedFault {
    const times = rule.times ?? Infinity;
    if (!(times > 0)) throw new TypeError('faults: times must be > 0');
    const armed: Armed<R> = { rule: { ...rule }, remaining: times, hits: 0, removed: false };
    list.push(armed);
    return {
      get hits() {
        return armed.hits;
      },
      remove: () => {
        armed.removed = true;
      },
    };
  }

  private consume(armed: Armed<unknown>): void {
    armed.remaining--;
    armed.hits++;
  }
}
