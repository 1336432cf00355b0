import { useNavSlice, VIEWS } from '../state/nav-slice';

export function Sidebar() {
  const view = useNavSlice((s) => s.view);
  const go = useNavSlice((s) => s.go);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="sidebar__brand">PIC Store Manager</div>
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
