/*
 * Output that grows (docker pull, compose, a service's logs) in a pane the person can resize by
 * its corner (issue 17 item 4). It follows new output — stays scrolled to the end — unless the
 * person scrolled up to read, and follows again once they scroll back to the end.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';

/** How close to the end (px) still counts as "at the end": a fractional scrollTop must not unstick it. */
const END_SLACK = 8;

export function LogPane({ text, label, className, testId }: { text: string; label: string; className?: string; testId?: string }) {
  const ref = useRef<HTMLPreElement>(null);
  const following = useRef(true);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => {
      following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - END_SLACK;
      el.dataset.following = String(following.current);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);
  return (
    <pre
      ref={ref}
      // Kept by the scroll listener (not by React), so a re-render never resets it.
      data-following="true"
      className={`log-pane${className ? ` ${className}` : ''}`}
      data-testid={testId}
      role="log"
      aria-label={label}
      // Focusable so the keyboard can scroll it (axe: scrollable-region-focusable).
      tabIndex={0}
    >
      {text}
    </pre>
  );
}
