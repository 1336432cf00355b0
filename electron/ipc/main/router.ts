import type { z } from 'zod';
import { toErrorInfo, type ErrorCode } from '../../core/errors';
import type { IpcResult, Unsubscribe } from '../contract/domain';
import { EventHub, type EventSink } from './event-hub';
import { registerHandlers } from './handlers';
import type { AppServices } from './services/app-services';
import type { EventChannel, EventMap, InvokeChannel, RequestOf, ResponseOf } from '../contract/channels';

/**
 * Who sent an invoke, as the transport established it. `trusted` is the transport's verdict:
 * Electron checks the frame URL is the app's own; the browser shell checks the socket holds a
 * session obtained with the bootstrap token from an allowed Origin.
 */
export interface IpcSender {
  transport: 'electron' | 'browser-shell';
  /** Frame URL (Electron) or session id prefix (shell), for error messages and logs. */
  id: string;
  trusted: boolean;
}

export interface HandlerContext {
  sender: IpcSender;
}

/** A handler: a zod schema for its argument (which arrives as `unknown`) and the work. */
export interface IpcHandler<C extends InvokeChannel> {
  args: z.ZodType<RequestOf<C>>;
  run(args: RequestOf<C>, ctx: HandlerContext): Promise<ResponseOf<C>> | ResponseOf<C>;
}

/**
 * The handler registry both transports dispatch into (registered once, DESIGN 3.2). `dispatch`
 * never throws: sender check, then argument parsing, then the handler, and any failure becomes
 * an `{ ok: false, error }` envelope keeping a CoreError's code.
 */
export class IpcRouter {
  private readonly handlers = new Map<string, IpcHandler<InvokeChannel>>();

  /** Events come from main's services through `events`; the router only carries them to transports. */
  constructor(private readonly events: EventHub = new EventHub()) {}

  handle<C extends InvokeChannel>(channel: C, handler: IpcHandler<C>): void {
    if (this.handlers.has(channel)) throw new Error(`IPC channel ${channel} registered twice`);
    this.handlers.set(channel, handler as unknown as IpcHandler<InvokeChannel>);
  }

  channels(): string[] {
    return [...this.handlers.keys()];
  }

  async dispatch(channel: string, raw: unknown, sender: IpcSender): Promise<IpcResult<unknown>> {
    try {
      if (!sender.trusted) return fail('IPC_SENDER_REFUSED', `refused ${channel}: the sender is not this app's own page`);
      const handler = this.handlers.get(channel);
      if (!handler) return fail('IPC_UNKNOWN_CHANNEL', `no such IPC channel: ${String(channel).slice(0, 80)}`);
      const parsed = handler.args.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(argument)'}: ${i.message}`);
        return fail('IPC_BAD_ARGUMENT', `invalid argument for ${channel}: ${issues.join('; ')}`);
      }
      const data = await handler.run(parsed.data as never, { sender });
      return { ok: true, data };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  }

  /** Pushes an event to every attached transport (all windows / all shell sessions). */
  emit<C extends EventChannel>(channel: C, payload: EventMap[C]): void {
    this.events.emit(channel, payload);
  }

  /** A transport attaches here to receive pushed events. */
  onEvent(sink: EventSink): Unsubscribe {
    return this.events.onEvent(sink);
  }
}

function fail(code: ErrorCode, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}



/** The router of one app process: events from the services' hub, every domain's handlers registered. */
export function createIpcRouter(services: AppServices): IpcRouter {
  return registerHandlers(new IpcRouter(services.events), services);
}
