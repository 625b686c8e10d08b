import { html, raw, type SafeHtml } from './html.js';

export interface PageOptions {
  title: string;
  lang?: string;
  body: SafeHtml;
  /** Extra markup for <head> (e.g. page-specific styles). */
  head?: SafeHtml;
}

/** Base stylesheet: readable on a 360 px phone, high contrast, visible focus. */
export const BASE_CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;background:#f6f7f9}
main{max-width:960px;margin:0 auto;padding:16px}a{color:#0b57d0}h1{font-size:1.5rem}h2{font-size:1.2rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
code{background:#eef;padding:0 4px;border-radius:3px}:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
button,.button{font:inherit;padding:10px 16px;border-radius:8px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer}
input,select{font:inherit;padding:8px;border:1px solid #666;border-radius:6px;width:100%}
@media (max-width:600px){main{padding:10px}table{font-size:14px}}
`;

export function page(opts: PageOptions): string {
  return '<!doctype html>' + html`<html lang="${opts.lang ?? 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${opts.title}</title>
<style>${raw(BASE_CSS)}</style>${opts.head}</head><body>${opts.body}</body></html>`.value;
}
