/** The one stylesheet, served by the app itself so pages load nothing from elsewhere. */
import { Hono, type Context } from 'hono';

export const siteCss = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;font-size:1.0625rem;line-height:1.5;color:#1d1d1f;background:#f7f7f9}
header{background:#2b233d;color:#fff;padding:.75rem 1rem}
.brand{margin:0;font-weight:700}
main{max-width:40rem;margin:0 auto;padding:1rem;overflow-wrap:break-word}
h1{font-size:1.6rem;line-height:1.2}
fieldset{border:0;padding:0;margin:0 0 1.5rem}
legend{font-weight:700;font-size:1.2rem;margin-bottom:.5rem}
.field{margin-bottom:1rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=text],input[type=email],input[type=tel]{width:100%;padding:.6rem;font-size:1rem;border:2px solid #55555f;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #ffb81c;outline-offset:2px}
.choice{display:flex;gap:.5rem;align-items:center;margin:.4rem 0}
.choice label{display:inline;font-weight:400;margin:0}
.choice input{width:1.4rem;height:1.4rem}
.hint{color:#4a4a55;margin:.1rem 0 .4rem}
.error{color:#b00020;font-weight:700;margin:.1rem 0 .4rem}
.has-error input[type=text],.has-error input[type=email],.has-error input[type=tel]{border-color:#b00020}
.error-summary{border:3px solid #b00020;padding:.75rem 1rem;margin-bottom:1.5rem;background:#fff}
.error-summary h2{margin-top:0;font-size:1.2rem}
.error-summary a{color:#b00020}
button{font-size:1.05rem;padding:.75rem 1.25rem;background:#2b233d;color:#fff;border:0;border-radius:6px;font-weight:700;cursor:pointer}
.small{font-size:.9rem;color:#4a4a55}
.caption{color:#4a4a55;margin:0;font-weight:600}
input[type=date]{padding:.5rem;font-size:1rem;border:2px solid #55555f;border-radius:4px}
.activity{border-top:1px solid #dddde3;padding-top:.75rem;margin-bottom:1rem}
.activity legend{font-size:1rem}
.done{border-left:6px solid #1d7a46;background:#fff;padding:.5rem 1rem;margin-bottom:1.5rem}
.summary{background:#fff;border:1px solid #dddde3;border-radius:6px;padding:.5rem 1rem;margin:1.5rem 0}
.summary h2{font-size:1.15rem}
.summary dt{font-weight:700;margin-top:.5rem}
.summary dd{margin:0}
.summary ul{margin:.25rem 0;padding-left:1.2rem}
.secondary{margin-top:1.5rem}
.secondary-button{background:#fff;color:#b00020;border:2px solid #b00020}
.notice{border-left:6px solid #ffb81c;background:#fff;padding:.5rem 1rem;margin:1rem 0}
select{width:100%;padding:.6rem;font-size:1rem;border:2px solid #55555f;border-radius:4px;background:#fff}
.plans{padding-left:0;list-style:none}
.plans form{display:flex;gap:.75rem;align-items:center;flex-wrap:wrap;margin:.5rem 0}
.plans button{padding:.4rem .9rem}
.partnership{overflow-wrap:anywhere}
.partnership h2{font-size:1.25rem;margin:1.75rem 0 .5rem;border-top:1px solid #dddde3;padding-top:1rem}
.partnership h3{font-size:1.05rem;margin:1rem 0 .25rem}
.partnership ul{padding-left:1.2rem}
.partnership li{margin:.35rem 0}
.partnership .plain,.partnership .activities{padding-left:0;list-style:none}
.partnership .activities li{margin:.6rem 0}
.partnership a[href^="tel:"]{white-space:nowrap}
`;

/**
 * The head-office pages: wider, with tables and charts, for a laptop or a tablet, and
 * still no wider than a phone's screen: grids shrink their columns to fit, and a wide
 * table scrolls sideways in its own box.
 */
export const headOfficeCss = `
body.head-office main{max-width:72rem}
body.head-office header{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:.5rem}
body.head-office header a{color:#fff}
.sign-out{display:flex;gap:.75rem;align-items:center;margin:0}
.sign-out button{padding:.4rem .9rem;background:#fff;color:#2b233d}
.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;background:#fff;border:1px solid #dddde3;border-radius:6px;padding:.75rem 1rem;margin-bottom:1.5rem}
.filters .field{margin:0;min-width:min(12rem,100%)}
.filters button{padding:.55rem 1rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(14rem,100%),1fr));gap:1rem;margin-bottom:1.5rem}
.tile{background:#fff;border:1px solid #dddde3;border-radius:6px;padding:.75rem 1rem}
.tile h2{font-size:1rem;margin:0 0 .25rem}
.tile .figure{font-size:1.8rem;font-weight:700;margin:0}
.tile p{margin:.25rem 0}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(30rem,100%),1fr));gap:1.5rem}
.panel{background:#fff;border:1px solid #dddde3;border-radius:6px;padding:.75rem 1rem;overflow-x:auto}
.panel h2{font-size:1.15rem;margin-top:.25rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
.table-scroll{overflow-x:auto;max-width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #dddde3;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.chart{width:100%;height:auto;max-width:44rem}
.chart-label,.chart-value,.chart-axis{font:13px system-ui,sans-serif;fill:#1d1d1f}
.chart-grid{stroke:#dddde3}
.chart-figure{margin:0}
.chart-key{display:flex;flex-wrap:wrap;gap:1rem;font-size:.9rem}
.swatch{display:inline-block;width:1rem;height:.3rem;vertical-align:middle}
.swatch-0{background:#2b233d}.swatch-1{background:#1d7a46}.swatch-2{background:#b05a00}.swatch-3{background:#0b5cab}.swatch-4{background:#b00020}
.swatch.dashed{background:repeating-linear-gradient(90deg,#1d7a46 0 6px,transparent 6px 10px)}
.actions{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.pager{display:flex;gap:1rem;margin:1rem 0}
.team{padding-left:0;list-style:none}
.team li{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:.5rem 0}
form.inline{display:inline;margin:0}
form.inline button{padding:.3rem .8rem}
`;

const css = (body: string) => (c: Context) => {
  c.header('Cache-Control', 'public, max-age=3600');
  return c.body(body, 200, { 'Content-Type': 'text/css; charset=utf-8' });
};

export function assetRoutes() {
  return new Hono().get('/site.css', css(siteCss)).get('/head-office.css', css(headOfficeCss));
}
