import type { DomainApi, EventsOf, InvokesOf, Kebab } from '../domain';
import { activity } from './activity';
import { app } from './app';
import { cells } from './cells';
import { fleet } from './fleet';
import { installs } from './installs';
import { preview } from './preview';
import { store } from './store';
import { trust } from './trust';
import { verification } from './verification';

/**
 * Every domain of the contract. To add one: write `channels/<domain>.ts` with `defineDomain`,
 * then add ONE entry here (the key must equal the domain's name), and register its handlers in
 * `handlers/index.ts`.
 */
export const domains = {
  app,
  trust,
  cells,
  store,
  verification,
  activity,
  preview,
  installs,
  fleet,
} as const;

export type Domains = typeof domains;
export type DomainName = keyof Domains;

/**
 * The one method of `window.picStore` that is not an IPC call: the local path of a dropped
 * `File`. Electron's preload answers it with `webUtils.getPathForFile` (a sandboxed page cannot
 * see `File.path`); the browser shell answers null and the UI falls back to the drop's
 * text/uri-list. Only the path is learned; main reads the file, never the renderer.
 */
export interface AppLocalApi {
  readonly pathForFile: (file: File) => string | null;
}

/** `window.picStore`: one frozen object of named methods, identical in both shells. */
export type PicStoreApi = { readonly [D in DomainName]: DomainApi<Domains[D]> & (D extends 'app' ? AppLocalApi : unknown) };

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Flat `domain:action` → Invoke map, for the handler side. */
export type InvokeMap = UnionToIntersection<
  { [D in DomainName]: { [A in keyof InvokesOf<Domains[D]> & string as `${D}:${Kebab<A>}`]: InvokesOf<Domains[D]>[A] } }[DomainName]
>;
/** Flat `domain:event` → payload map, for pushing events from main. */
export type EventMap = UnionToIntersection<
  { [D in DomainName]: { [A in keyof EventsOf<Domains[D]> & string as `${D}:${Kebab<A>}`]: EventsOf<Domains[D]>[A] } }[DomainName]
>;
export type InvokeChannel = keyof InvokeMap & string;
export type EventChannel = keyof EventMap & string;
export type RequestOf<C extends InvokeChannel> = InvokeMap[C] extends { req: infer R } ? R : never;
export type ResponseOf<C extends InvokeChannel> = InvokeMap[C] extends { res: infer R } ? R : never;

export type * from './app';
export type * from './trust';
export type * from './cells';
export type * from './store';
export type * from './verification';
export type * from './activity';
export type * from './preview';
export type * from './installs';
export type * from './fleet';
