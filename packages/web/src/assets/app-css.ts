/** Stylesheet of both UIs (on top of the shared BASE_CSS). Colours meet WCAG AA contrast on their backgrounds. */
export const APP_CSS = `
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:8px;z-index:10}.skip:focus{left:8px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{background:#102a43;color:#fff}.top a{color:#fff}.bar{max-width:960px;margin:0 auto;padding:8px 16px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
.brand{font-weight:700;text-decoration:none;margin-right:auto}.brand span{font-weight:400;opacity:.9}
.who{font-size:.9rem}.lang-form select{width:auto;padding:4px 8px;background:#fff;color:#111}
.nav ul{list-style:none;margin:0 auto;padding:0 16px 8px;max-width:960px;display:flex;gap:4px 16px;flex-wrap:wrap}
.nav a{display:inline-block;padding:4px 0;text-decoration:none}.nav a[aria-current=page]{border-bottom:3px solid #ffd166;font-weight:600}
.foot{max-width:960px;margin:24px auto;padding:0 16px;font-size:.9rem;color:#444}
.card{background:#fff;border:1px solid #d9dde3;border-radius:10px;padding:16px;margin:0 0 16px}
.card h2{margin-top:0}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:16px}
.field{margin:0 0 12px}.field label{display:block;font-weight:600;margin-bottom:4px}.hint{display:block;color:#444}
.error{display:block;color:#b00020;font-weight:600}[aria-invalid=true]{border-color:#b00020}
textarea{font:inherit;padding:8px;border:1px solid #666;border-radius:6px;width:100%}
.check{display:flex;gap:8px;align-items:flex-start;margin:4px 0;min-width:0}.check input{width:auto;margin-top:4px;flex:none}.check label{min-width:0;overflow-wrap:anywhere}
.perm-code{font-size:.8rem;color:#333}.perm-group{font-weight:600;margin:12px 0 4px}
fieldset{border:1px solid #d9dde3;border-radius:8px;margin:0 0 12px}.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(280px,100%),1fr));gap:4px 16px}
details.sig-group{border-bottom:1px solid #e3e8ef;padding:4px 0}details.sig-group summary{cursor:pointer;font-weight:600;padding:4px 0}table.signals th[scope=row]{font-weight:400}table.signals th[scope=row] code{display:block;width:fit-content;max-width:100%;font-size:.8rem;color:#333;overflow-wrap:anywhere}table.signals td{text-align:center}table.signals td input{width:auto}.not-in-plan{margin-left:0}
.cond-row{display:flex;flex-wrap:wrap;gap:0 12px;align-items:flex-start;border-bottom:1px solid #e3e8ef;margin:0 0 8px}.cond-row .field{flex:1 1 140px;min-width:0}.cond-row .field:first-child{flex:3 1 240px}.cond-row .field select{width:100%}.cond-row .cond-error{flex-basis:100%;margin:0 0 8px}form[aria-busy=true] button[type=submit]{opacity:.8;cursor:progress}.busy-note{display:flex;gap:8px;align-items:center}.busy-note[hidden]{display:none}
.alert{padding:10px 14px;border-radius:8px;margin:0 0 16px;border:1px solid}
.alert-error{background:#fdecee;border-color:#b00020;color:#7a0016}.alert-ok{background:#e8f5e9;border-color:#2e7d32;color:#1b4d1e}
.alert-info{background:#e8f0fe;border-color:#0b57d0;color:#0b3a8c}
fieldset.locked{display:contents}fieldset.locked button{opacity:.6;cursor:not-allowed}
button.secondary,.button.secondary{background:#fff;color:#0b57d0}button.danger{background:#b00020;border-color:#b00020;color:#fff}
form.inline{display:inline}.actions{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:8px 0}
.mono,code{font-family:ui-monospace,Menlo,Consolas,monospace}.secret{margin:0 0 12px}.secret label{font-weight:600}
.secret-row{display:flex;gap:6px}.secret-row input{flex:1}
.table-wrap{overflow-x:auto;margin:0 0 16px}.muted{color:#555}.badge{display:inline-block;padding:0 8px;border-radius:10px;background:#e3e8ef;font-size:.85rem}
.badge.ok{background:#d7f0dc;color:#1b4d1e}.badge.warn{background:#fff1c2;color:#5c4300}.badge.bad{background:#fbd9dd;color:#7a0016}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;align-items:end}
.chart{width:100%;height:auto;background:#fff}.chart text{font-size:11px;fill:#333}.chart .bar{fill:#0b57d0}.chart .axis{stroke:#888}.chart .bar.free{fill:#9db8e8}.chart .grid{stroke:#e3e8ef}.chart .tick{stroke:#888}.chart .quota{stroke:#b00020;stroke-width:2;stroke-dasharray:6 4}.chart .quota-label{fill:#b00020}.chart polyline.used{fill:none;stroke:#0b57d0;stroke-width:2}.chart circle.used{fill:#0b57d0}.legend{font-size:.9rem;color:#333}.legend .key{display:inline-block;width:12px;height:12px;vertical-align:-1px;margin-left:8px}.legend .key.billable{background:#0b57d0}.legend .key.free{background:#9db8e8}
.map{width:100%;max-width:420px;height:auto;background:#e9f1f7;border:1px solid #b9c7d3;border-radius:8px}
.kv{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 12px}.kv dt{font-weight:600}.kv dd{margin:0;min-width:0;overflow-wrap:anywhere}
.logo{width:40px;height:40px;object-fit:contain;border-radius:8px;background:#fff;border:1px solid #ddd;vertical-align:middle}
pre{white-space:pre-wrap;word-break:break-all;background:#f0f2f5;padding:8px;border-radius:6px;max-height:240px;overflow:auto}
button.copy{padding:6px 12px;font-size:.9rem}.copy-row{display:flex;gap:8px;align-items:center;flex-wrap:wrap}.copy-row code{overflow-wrap:anywhere}
.snippet{margin:0 0 12px}.snippet pre{max-height:none}.snippet-head{display:flex;justify-content:space-between;align-items:center;gap:8px}.snippet-head h3{font-size:1rem;margin:0}
.checklist{padding-left:1.2em}.checklist li{margin:6px 0}.checklist .hint{display:block}
ul.plain{list-style:none;margin:0;padding:0}table.one-line td{white-space:nowrap}h1 code{overflow-wrap:anywhere;word-break:break-all}
.lead{font-size:1.1rem}.link-card h2{font-size:1.1rem}.link-card p{margin:4px 0}
input.w6{width:6em}input.w7{width:7em}input.w9{width:9em}ul.changes{margin:4px 0 0;padding-left:20px}
.sim-top{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px}.map-box{min-height:320px;border:1px solid #b9c7d3;border-radius:8px;background:#dbe8f1}.map-box.leaflet-on{height:360px}
.curve .soc-line{stroke:#0b57d0;stroke-width:2}.curve .kw-line{stroke:#b35c00;stroke-width:2;stroke-dasharray:5 3}.curve .soc-point{fill:#0b57d0}.curve-box{margin:0 0 12px}.curve-box figcaption{font-size:.9rem;color:#444}
ol.timeline{list-style:none;padding:0;margin:0;max-height:320px;overflow:auto}ol.timeline li{padding:4px 0;border-bottom:1px solid #e3e8ef;overflow-wrap:anywhere}ol.timeline time{color:#444;font-size:.9rem}
.app-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:12px}.app-card{border:1px solid #d9dde3;border-radius:8px;padding:12px;min-width:0}
.app-head{display:flex;justify-content:space-between;align-items:flex-start;gap:8px;flex-wrap:wrap}.app-head h4{margin:0;font-size:1.05rem;overflow-wrap:anywhere}.app-card .perms{margin:4px 0 0;padding-left:20px}
ol.access-log{list-style:none;padding:0;margin:0}ol.access-log li{padding:6px 0;border-bottom:1px solid #e3e8ef;overflow-wrap:anywhere}ol.access-log time{display:block;color:#444;font-size:.9rem}
.badge.tl-error{background:#fbd9dd;color:#7a0016}.badge.tl-charging{background:#d7f0dc;color:#1b4d1e}.badge.tl-webhook{background:#e8f0fe;color:#0b3a8c}.badge.tl-command{background:#fff1c2;color:#5c4300}
@media (max-width:600px){.sim-top{grid-template-columns:minmax(0,1fr)}.map-box.leaflet-on{height:280px}.bar{padding:8px 10px}.who{display:none}.card{padding:12px}.kv{grid-template-columns:minmax(0,1fr)}}
`;
