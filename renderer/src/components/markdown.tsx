/*
 * Sanitized Markdown for store descriptions (DESIGN 2.1): raw HTML is dropped (never parsed into
 * elements), links survive only as https: and open in the user's browser through main, images
 * only as data: URLs (so nothing is fetched), everything else is text.
 */
import { useState, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import { useAppSlice } from '../state/app-slice';
import { CopyButton } from './copy-button';

function safeUrl(url: string, key: string): string {
  if (key === 'src') return /^data:image\/(png|webp|svg\+xml|gif|jpeg);base64,/i.test(url) ? url : '';
  try {
    return new URL(url).protocol === 'https:' ? url : '';
  } catch {
    return '';
  }
}

/**
 * A link that main opens in the user's browser (the page itself never navigates). When main
 * could not open one (no display, no browser) or refused the URL, the address is shown with a
 * copy button instead, so the link is never a dead click.
 */
export function ExternalLink({ href, children, className = 'md-link' }: { href: string; children: ReactNode; className?: string }) {
  const [notOpened, setNotOpened] = useState(false);
  const openExternal = useAppSlice((s) => s.openExternal);
  const open = (e: { preventDefault(): void }) => {
    e.preventDefault();
    void openExternal(href).then((opened) => setNotOpened(!opened));
  };
  return (
    <>
      <a href={href} className={className} onClick={open} onAuxClick={open} rel="noreferrer noopener" title={`Opens ${href} in your browser`}>
        {children}
      </a>
      {notOpened && (
        <span className="external-fallback" role="status" data-testid="external-fallback">
          {' '}
          (no browser could be opened; the address is <code>{href}</code> <CopyButton value={href} label={`Copy the address ${href}`} />)
        </span>
      )}
    </>
  );
}

const components: Components = {
  a({ href, children }) {
    if (!href) return <span className="md-link md-link--dropped">{children}</span>;
    return <ExternalLink href={href}>{children}</ExternalLink>;
  },
  img({ src, alt }) {
    if (typeof src !== 'string' || !src) return <span className="md-img-dropped">[image: {alt ?? 'not shown'}]</span>;
    return <img src={src} alt={alt ?? ''} className="md-img" />;
  },
};

export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown skipHtml urlTransform={safeUrl} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
