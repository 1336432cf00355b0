/*
 * The renderer's entry: connects the API first (Electron's preload or the browser shell),
 * subscribes the slices to main's events once, then renders the app; a failed connection says why.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initApi } from './api/api';
import { App } from './app';
import { useAppSlice } from './state/app-slice';
import { subscribeToEvents } from './state/subscriptions';

function BootError({ message }: { message: string }) {
  return (
    <div className="boot-error" role="alert">
      <h1>PIC Store Manager could not start</h1>
      <p>{message}</p>
    </div>
  );
}

async function boot(): Promise<void> {
  const el = document.getElementById('root');
  if (!el) return;
  const root = createRoot(el);
  try {
    await initApi((reason) => useAppSlice.getState().setDisconnected(reason));
  } catch (e) {
    root.render(<BootError message={e instanceof Error ? e.message : String(e)} />);
    return;
  }
  // For the page's whole life: events reach their slices whichever view is shown.
  subscribeToEvents();
  // Every listener exists now: main may deliver the events it held for this page (event-hub.ts).
  void useAppSlice.getState().announceReady();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
