/* The app frame: sidebar, the connection and trust banners, and the current view. */
import { useEffect } from 'react';
import { Sidebar } from './components/sidebar';
import { TrustBanner } from './components/trust-banner';
import { useAppSlice } from './state/app-slice';
import { useNavSlice, type ViewId } from './state/nav-slice';
import { useTrustSlice } from './state/trust-slice';
import { AboutTrustView } from './views/about-trust-view';
import { ActivityView } from './views/activity/activity-view';
import { PreviewView } from './views/preview/preview-view';
import { CellsView } from './views/cells/cells-view';
import { FleetView } from './views/fleet/fleet-view';
import { StoreView } from './views/store/store-view';
import { InstalledView } from './views/installed/installed-view';
import { UpdateNotices } from './views/installed/update-notices';

function CurrentView({ view }: { view: ViewId }) {
  switch (view) {
    case 'store':
      return <StoreView />;
    case 'cells':
      return <CellsView />;
    case 'fleet':
      return <FleetView />;
    case 'installed':
      return <InstalledView />;
    case 'activity':
      return <ActivityView />;
    case 'preview':
      return <PreviewView />;
    case 'about':
      return <AboutTrustView />;
  }
}

export function App() {
  const view = useNavSlice((s) => s.view);
  const disconnected = useAppSlice((s) => s.disconnected);
  const loadTrust = useTrustSlice((s) => s.load);
  // Asked once at startup: whether this shell has file dialogs (the "Choose…" buttons).
  useEffect(() => {
    if (useAppSlice.getState().status === 'idle') void useAppSlice.getState().load();
  }, []);
  useEffect(() => {
    void loadTrust();
  }, [loadTrust]);

  return (
    <div className="app">
      <Sidebar />
      <main className="main">
        {disconnected && (
          <div className="banner banner--danger" role="alert">
            {disconnected}
          </div>
        )}
        <TrustBanner />
        <UpdateNotices />
        <CurrentView view={view} />
      </main>
    </div>
  );
}
