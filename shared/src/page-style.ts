/**
 * @module page-style
 * The look of the wallet page (wallet/web/src/style.css: colours, fonts, cards, buttons, claim tables) as one
 * stylesheet string that the servers' own small pages (the verifier service's pages, the issuer's sign-in page)
 * inline in a `<style>` element, so that the pieces of `e2eid up` look like one product. The pages' CSP allows
 * inline styles (`style-src 'unsafe-inline'`) and nothing else is loaded.
 */

/** CSS shared by the server-rendered pages; the class names follow the wallet page's. */
export const PAGE_STYLE = `:root{color-scheme:light;--fg:#1d2430;--muted:#5a6472;--line:#d8dde5;--bg:#f5f7fa;--card:#fff;--accent:#2354c7;--ok:#18794e;--bad:#b42318;--warn:#8a5a00;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
*{box-sizing:border-box}
a{color:var(--accent)}
body{margin:0;background:var(--bg);color:var(--fg)}
.top{background:#16213a;color:#fff;padding:1.25rem max(1rem,calc(50% - 28rem))}
.top h1{margin:0;font-size:1.5rem}
.sub{margin:.25rem 0 0;color:#c9d3e6;max-width:48rem;font-size:.95rem}
main{grid-template-columns:minmax(0,1fr);max-width:56rem;margin:0 auto;padding:1rem;display:grid;gap:1rem}
main.narrow{max-width:28rem}
.card{min-width:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem}
h2{margin:0 0 .75rem;font-size:1.2rem}
h3{margin:1rem 0 .4rem;font-size:1rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
textarea,input:not([type]),input[type=text],input[type=password]{width:100%;font:.9rem/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;padding:.5rem;border:1px solid #aab3c0;border-radius:6px}
button,a.button{display:inline-block;font:inherit;padding:.45rem .95rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;margin-top:.5rem;text-decoration:none}
button.secondary,a.button.secondary{background:#fff;color:var(--accent)}
:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
.help{color:var(--muted);font-size:.9rem;margin:.25rem 0}
.error-text{color:var(--bad);font-weight:600}
.warn{color:var(--warn)}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.15rem 1rem;margin:.5rem 0}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;font-size:.78rem;font-weight:600;padding:.05rem .5rem;border-radius:999px;background:#e8ecf3;color:var(--fg)}
.badge.format{background:#e4ebfb;color:#1c3f94}
.badge.status-valid{background:#dcf5e8;color:var(--ok)}
.badge.status-bad{background:#fde3e1;color:var(--bad)}
.badge.status-unknown{background:#fff1d6;color:var(--warn)}
.claim-table{border-collapse:collapse;width:100%;font-size:.95rem}
.claim-table th,.claim-table td{text-align:left;border-bottom:1px solid var(--line);padding:.3rem .5rem .3rem 0;vertical-align:top}
.claim-table thead th{color:var(--muted);font-weight:600}
.claim-table td{overflow-wrap:anywhere}
.claim-name{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.claim-label{color:var(--muted);font-size:.8rem;margin-left:.35rem}
.claim-value{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88rem}
.claim-date{color:var(--muted);font-size:.85rem;margin-left:.5rem}
.verdict{font-weight:600}
.verdict.ok{color:var(--ok)}
.verdict.bad{color:var(--bad)}
pre.raw{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.75rem;max-height:10rem;overflow:auto;background:#f3f5f8;padding:.5rem;border-radius:6px;margin:.5rem 0}
.request{display:flex;flex-wrap:wrap;gap:1.25rem;align-items:flex-start}
.request .qr{flex:none;border:1px solid var(--line);border-radius:6px;background:#fff;padding:.5rem;width:16rem;height:16rem}
.request .qr svg{width:100%;height:100%;display:block}
.request .how{flex:1 1 16rem;min-width:0}
[hidden]{display:none!important}`
