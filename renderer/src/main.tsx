import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initApi } from './api/api';
import { App } from './app';
import { useAppSlice } from './state/app-slice';

function BootError({ message }: { message: string }) {
  return (
    <div className="boot-error" role="alert">
      <h1>PIC Store Manager could not start</h1>
      <p>{message}</p>
    </div>
  );
}

/** Connects the API first (preload or shell), then renders; a failed connection says why. */
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
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
