/** The one stylesheet, served by the app itself so pages load nothing from elsewhere. */
import { Hono } from 'hono';

export const siteCss = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;font-size:1.0625rem;line-height:1.5;color:#1d1d1f;background:#f7f7f9}
header{background:#2b233d;color:#fff;padding:.75rem 1rem}
.brand{margin:0;font-weight:700}
main{max-width:40rem;margin:0 auto;padding:1rem}
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
`;

export function assetRoutes() {
  return new Hono().get('/site.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(siteCss, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
}
