/**
 * Pushed events (verification progress, install lines, changed files) from main's services to
 * every attached transport, and — per page — held back until that page says it is ready
 * (`app:ready`, sent once its app-level subscriptions exist). Without the hold, an event emitted
 * while a page is still loading, or reloading, would reach nobody and be lost.
 */
import type { Unsubscribe } from '../contract/domain';
import type { EventChannel, EventMap } from '../contract/channels';

export type EventSink = (channel: string, payload: unknown) => void;

/** What services see: they emit typed events and never know who listens. */
export interface AppEvents {
  emit<C extends EventChannel>(channel: C, payload: EventMap[C]): void;
}

export class EventHub implements AppEvents {
  private readonly sinks = new Set<EventSink>();

  emit<C extends EventChannel>(channel: C, payload: EventMap[C]): void {
    for (const sink of this.sinks) {
      try {
        sink(channel, payload);
      } catch {
        // One broken transport must not stop the event reaching the others.
      }
    }
  }

  /** A transport attaches here to receive pushed events. */
  onEvent(sink: EventSink): Unsubscribe {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
}

/** The channel a page invokes once it listens; transports open that page's queue on it. */
export const PAGE_READY_CHANNEL = 'app:ready';

/** Events kept for a page that is not ready yet; beyond this the oldest go (a page that never says ready must not grow main's memory). */
const MAX_HELD_EVENTS = 2000;

/** One page's events: held until `open()`, then delivered as they come. */
export class PageEventQueue {
  private held: [string, unknown][] | null = [];

  constructor(private readonly deliver: EventSink) {}

  push(channel: string, payload: unknown): void {
    if (this.held === null) return this.deliver(channel, payload);
    this.held.push([channel, payload]);
    if (this.held.length > MAX_HELD_EVENTS) this.held.shift();
  }

  /** The page listens now: deliver what was held, in order, then everything as it comes. */
  open(): void {
    const held = this.held;
    this.held = null;
    for (const [channel, payload] of held ?? []) this.deliver(channel, payload);
  }

  /** The page is (re)loading: hold events again until it says ready. */
  hold(): void {
    this.held ??= [];
  }
}
