import ReactMarkdown, { type Components } from 'react-markdown';
import { api } from '../api/api';

/**
 * Sanitized Markdown for store descriptions (DESIGN 2.1): raw HTML is dropped (never parsed into
 * elements), links survive only as https: and open in the user's browser through main, images
 * only as data: URLs (so nothing is fetched), everything else is text.
 */
function safeUrl(url: string, key: string): string {
  if (key === 'src') return /^data:image\/(png|webp|svg\+xml|gif|jpeg);base64,/i.test(url) ? url : '';
  try {
    return new URL(url).protocol === 'https:' ? url : '';
  } catch {
    return '';
  }
}

const components: Components = {
  a({ href, children }) {
    if (!href) return <span className="md-link md-link--dropped">{children}</span>;
    const open = (e: { preventDefault(): void }) => {
      e.preventDefault();
      void api().app.openExternal({ url: href });
    };
    return (
      <a href={href} className="md-link" onClick={open} onAuxClick={open} rel="noreferrer noopener" title={`Opens ${href} in your browser`}>
        {children}
      </a>
    );
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
