/**
 * The frame every email shares: short, readable on a phone, one clear action, and a
 * footer that says why the email came and how to stop it.
 */

export const htmlLayout = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f6;">
<div style="max-width:560px;margin:0 auto;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1d1d1f;background:#ffffff;">
{{> body}}
<hr style="border:none;border-top:1px solid #dddde3;margin:24px 0 12px;">
<p style="font-size:13px;color:#55555f;">{{reason}}<br>
<a href="{{unsubscribeUrl}}" style="color:#55555f;">Stop these emails</a></p>
</div>
</body>
</html>`;

export const textFooter = `--
{{reason}}
Stop these emails: {{unsubscribeUrl}}`;

/** The one clear action in an email, as a large tap target. */
export const buttonStyle =
  'display:inline-block;padding:12px 20px;background:#2b233d;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;';
