/*
 * The listing's screenshots on the service page (DESIGN 2.1, issue 17 item 6): one large image
 * and a row of thumbnails to choose it. Remote ones are fetched by main like icons and arrive as
 * `data:` URLs; the renderer never loads a URL. Keyboard: the thumbnails are one tab stop (a
 * toolbar-like row), Left/Right/Home/End move and show; each image has alt text from the name.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { StoreServiceView } from '../../../electron/ipc/contract/channels';
import { withoutInvisible } from '../../../electron/ipc/contract/visible-text';
import { useStoreSlice } from '../state/store-slice';

export function ScreenshotGallery({ service }: { service: StoreServiceView }) {
  const shots = service.screenshots;
  const remote = useStoreSlice((s) => s.screenshots);
  const fetchScreenshot = useStoreSlice((s) => s.fetchScreenshot);
  const [shown, setShown] = useState(0);
  const thumbs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => {
    for (const s of shots) if (s.url) fetchScreenshot(s.url);
  }, [shots, fetchScreenshot]);
  useEffect(() => setShown(0), [service.id]);
  if (shots.length === 0) return null;
  const name = withoutInvisible(service.manifest?.name ?? service.id);
  const srcOf = (i: number) => {
    const s = shots[i]!;
    const src = s.data ?? (s.url ? remote[s.url] : null) ?? null;
    return src?.startsWith('data:image/') ? src : null;
  };
  const alt = (i: number) => `${name}, screenshot ${i + 1} of ${shots.length}`;
  const current = Math.min(shown, shots.length - 1);
  const big = srcOf(current);
  const move = (e: KeyboardEvent) => {
    const to = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: shots.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = (to + shots.length) % shots.length;
    setShown(next);
    thumbs.current[next]?.focus();
  };
  return (
    <section className="screenshots" aria-labelledby="screenshots-title" data-testid="screenshots">
      <h3 id="screenshots-title">Screenshots</h3>
      <figure className="screenshots__main">
        {big ? (
          <img src={big} alt={alt(current)} data-testid="screenshot-main" />
        ) : (
          <div className="screenshots__missing muted" role="img" aria-label={alt(current)} data-testid="screenshot-main">
            {shots[current]!.url && !(shots[current]!.url! in remote) ? 'Loading…' : 'This screenshot could not be loaded.'}
          </div>
        )}
        <figcaption className="muted">
          Screenshot {current + 1} of {shots.length}
        </figcaption>
      </figure>
      {shots.length > 1 && (
        <div className="screenshots__thumbs" role="group" aria-label={`Choose a screenshot of ${name}`} onKeyDown={move}>
          {shots.map((_, i) => {
            const src = srcOf(i);
            return (
              <button
                key={i}
                ref={(el) => {
                  thumbs.current[i] = el;
                }}
                type="button"
                className="screenshots__thumb"
                aria-pressed={i === current}
                aria-label={`Show screenshot ${i + 1} of ${shots.length}`}
                tabIndex={i === current ? 0 : -1}
                onClick={() => setShown(i)}
              >
                {src ? <img src={src} alt="" /> : <span aria-hidden="true">{i + 1}</span>}
              </button>
            );
          })}
        </div>
      )}
    </section>
  );
}
