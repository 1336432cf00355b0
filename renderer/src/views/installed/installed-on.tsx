/*
 * "Installed on <cell>…" for a service page (DESIGN 2.9): the cells main's last check found
 * running this service id, with the store's state where it is not simply current.
 */
import { installedOnText, useUpdatesSlice } from '../../state/updates-slice';

export function InstalledOn({ serviceId }: { serviceId: string }) {
  const text = useUpdatesSlice((s) => installedOnText(s.view, serviceId));
  if (!text) return null;
  return (
    <p className="installed-on" data-testid="installed-on">
      {text}
    </p>
  );
}
