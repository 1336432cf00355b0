// The vocabulary of the one IPC contract (DESIGN 3.3). A domain declares its invokes (request →
// response) and its events (pushed from main) once; channel names are derived as
// `domain:action`, so the two transports, the handlers and the renderer can never disagree on a
// spelling. This file and `channels/**` are pure data and types: safe for the renderer and the
// sandboxed preload to import.
import type { ErrorCode, ErrorInfo } from '../../core/errors';

/** The envelope every invoke resolves to; nothing is ever thrown across the boundary. */
export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: IpcError };

/** The one error shape (core's `ErrorInfo`): a member of the `ErrorCode` union and a message. */
export type IpcError = ErrorInfo;
export type { ErrorCode };

/** A request/response pair, as a type only. */
export interface Invoke<Req, Res> {
  req: Req;
  res: Res;
}

type AnyInvokes = Record<string, Invoke<unknown, unknown>>;
type AnyEvents = Record<string, unknown>;

/** One domain of the contract. `_types` never exists at run time; it carries the types. */
export interface Domain<N extends string, I extends AnyInvokes, E extends AnyEvents> {
  readonly name: N;
  readonly invokes: readonly (keyof I & string)[];
  readonly events: readonly (keyof E & string)[];
  readonly _types?: { invokes: I; events: E };
}

/**
 * Declares a domain. Curried so the invoke/event maps are written as types and the name and
 * action lists are checked against them:
 * `defineDomain<{ get: Invoke<void, X> }, { changed: X }>()('trust', ['get'], ['changed'])`.
 */
export function defineDomain<I extends AnyInvokes, E extends AnyEvents = Record<never, never>>() {
  return <N extends string>(name: N, invokes: readonly (keyof I & string)[], events: readonly (keyof E & string)[] = []): Domain<N, I, E> =>
    Object.freeze({ name, invokes: Object.freeze([...invokes]), events: Object.freeze([...events]) });
}

export type AnyDomain = Domain<string, AnyInvokes, AnyEvents>;
export type InvokesOf<D> = D extends { readonly _types?: { invokes: infer I; events: unknown } } ? (I extends AnyInvokes ? I : never) : never;
export type EventsOf<D> = D extends { readonly _types?: { invokes: unknown; events: infer E } } ? (E extends AnyEvents ? E : never) : never;

/** `openExternal` → `open-external`, at the type level (channel names are kebab-case). */
export type Kebab<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `-${Lowercase<H>}`}${Kebab<T>}`
  : S;

/**
 * `trust` + `get` → `trust:get`, `app` + `openExternal` → `app:open-external`: the only place a
 * channel name is spelled. Methods are camelCase in the API, channels kebab-case on the wire.
 */
export function channelName(domain: string, action: string): string {
  return `${domain}:${action.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A listener removal, returned by every `on`. */
export type Unsubscribe = () => void;

/** What the renderer sees for one domain: one method per invoke, plus `on` for its events. */
export type DomainApi<D> = {
  readonly [M in keyof InvokesOf<D>]: (arg: InvokesOf<D>[M]['req']) => Promise<IpcResult<InvokesOf<D>[M]['res']>>;
} & {
  readonly on: <K extends keyof EventsOf<D> & string>(event: K, listener: (payload: EventsOf<D>[K]) => void) => Unsubscribe;
};
