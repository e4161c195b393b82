// Assistant text as Markdown, made safe: marked renders it with raw HTML escaped (shown as text,
// never interpreted), then DOMPurify removes anything a renderer could still let through. Both come
// from WebJars, served by the monitor at /vendor/.
import { marked } from '/vendor/marked.esm.js';
import DOMPurify from '/vendor/purify.es.mjs';
import { shown } from './dom.js';

const escape = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

marked.use({
  gfm: true,
  breaks: false,
  renderer: {
    html(token) { return escape(token.text || token.raw || ''); },
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/** A sanitised fragment for Markdown `text`. */
export function markdown(text) {
  const html = marked.parse(shown(text || ''), { async: false }); // bidi controls by name, as everywhere
  const clean = DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'img'] });
  const tpl = document.createElement('template');
  tpl.innerHTML = clean;
  return tpl.content;
}
