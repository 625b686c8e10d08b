import { createHash } from 'node:crypto';
import { BASE_CSS } from './layout.js';

/** A CSP source allowing exactly this inline `<style>` or `<script>` text: `'sha256-…'`. */
export const cspHash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The source that allows the base stylesheet every `page()` inlines. */
export const BASE_CSS_SOURCE = cspHash(BASE_CSS);

/**
 * The policy of a static server-rendered page (documentation): no script at all, only the inline
 * stylesheets named, no framing, no forms, no plugins.
 */
export function staticPageCsp(...inlineStyles: string[]): string {
  return [
    "default-src 'none'", `style-src ${[BASE_CSS_SOURCE, ...inlineStyles.map(cspHash)].join(' ')}`, "img-src 'self' data:",
    "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
}
