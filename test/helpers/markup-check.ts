/**
 * Minimal well-formedness checks for the markup the bench writes (HTML and JUnit XML): tags nest,
 * attributes are quoted, entities are known, and text carries no raw '<' or '&'. Returns problems.
 */
const HTML_VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TAG = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/gy;
const ENTITY = /&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);/y;
const XML_ENTITIES = new Set(['&amp;', '&lt;', '&gt;', '&quot;', '&apos;']);

export function markupProblems(src: string, mode: 'html' | 'xml'): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  if (mode === 'html' && !src.startsWith('<!DOCTYPE html>')) problems.push('missing <!DOCTYPE html>');
  if (mode === 'xml' && src.startsWith('<?xml')) i = src.indexOf('?>') + 2;
  if (mode === 'html') i = src.indexOf('>') + 1;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '<') {
      if (src.startsWith('<!--', i)) {
        i = src.indexOf('-->', i) + 3;
        continue;
      }
      TAG.lastIndex = i;
      const m = TAG.exec(src);
      if (!m) {
        problems.push(`bad tag at ${i}: ${JSON.stringify(src.slice(i, i + 40))}`);
        i++;
        continue;
      }
      const [, close, rawName, attrs, self] = m;
      const name = mode === 'html' ? rawName!.toLowerCase() : rawName!;
      for (const a of attrs!.matchAll(/"([^"]*)"/gu)) {
        const v = a[1]!;
        for (let k = v.indexOf('&'); k >= 0; k = v.indexOf('&', k + 1)) {
          ENTITY.lastIndex = k;
          if (!ENTITY.test(v)) problems.push(`raw & in attribute of <${name}>`);
        }
        if (v.includes('<')) problems.push(`raw < in attribute of <${name}>`);
      }
      if (close) {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at ${i}`);
      } else if (!self && !(mode === 'html' && HTML_VOID.has(name))) {
        stack.push(name);
      }
      i = TAG.lastIndex;
      // script/style content is raw text
      if (!close && (name === 'style' || name === 'script')) {
        const end = src.indexOf(`</${name}>`, i);
        i = end < 0 ? src.length : end;
      }
      continue;
    }
    if (ch === '&') {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(src);
      if (!m || (mode === 'xml' && !XML_ENTITIES.has(m[0]) && !m[0].startsWith('&#'))) problems.push(`bad entity at ${i}: ${JSON.stringify(src.slice(i, i + 12))}`);
    }
    i++;
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}

/** Attribute or CSS references to anything but data: URIs and in-page anchors. */
export function externalReferences(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\b(?:src|href|xlink:href|action|poster|srcset)\s*=\s*["']?([^"'\s>]+)/giu)) {
    if (!m[1]!.startsWith('data:') && !m[1]!.startsWith('#')) out.push(m[0]);
  }
  for (const m of html.matchAll(/url\(\s*['"]?([^'")]+)/giu)) if (!m[1]!.startsWith('data:')) out.push(m[0]);
  for (const m of html.matchAll(/@import|<script|<link|<iframe|<object|<embed/giu)) out.push(m[0]);
  return out;
}
