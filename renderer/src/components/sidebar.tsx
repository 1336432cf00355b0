/* The main navigation: the app's name (the screen's one h1) and the views; a top bar in small windows. */
import { useNavSlice, VIEWS } from '../state/nav-slice';

export function Sidebar() {
  const view = useNavSlice((s) => s.view);
  const go = useNavSlice((s) => s.go);
  return (
    <nav className="sidebar" aria-label="Main">
      {/* The one h1 of every screen: the app; each view's title is its h2 (no skipped levels). */}
      <h1 className="sidebar__brand">PIC Store Manager</h1>
      <ul className="sidebar__list">
        {VIEWS.map((v) => (
          <li key={v.id}>
            <button
              type="button"
              className={v.id === view ? 'sidebar__item sidebar__item--active' : 'sidebar__item'}
              aria-current={v.id === view ? 'page' : undefined}
              onClick={() => go(v.id)}
            >
              {v.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
