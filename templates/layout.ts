/**
 * The frame every email shares: short, readable on a phone, one clear action, and (for
 * every mailing) a footer that says why the email came and how to stop it.
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
{{> footer}}
</div>
</body>
</html>`;

/** A mailing's footer (see EmailTemplate.mailing): an email that is not a mailing has none. */
export const htmlFooter = `<hr style="border:none;border-top:1px solid #dddde3;margin:24px 0 12px;">
<p style="font-size:13px;color:#55555f;">{{reason}}<br>
<a href="{{preferencesUrl}}" style="color:#55555f;">Choose which emails you get, or stop them</a></p>`;

export const textFooter = `--
{{reason}}
Choose which emails you get, or stop them: {{preferencesUrl}}`;

/** The one clear action in an email, as a large tap target. */
export const buttonStyle =
  'display:inline-block;padding:12px 20px;background:#2b233d;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;';

/**
 * The one-tap answers about a link, shared by every email that asks about one. Expects
 * `inTouchUrl`, `activitiesUrl`, `pause1Url`, `pause3Url` and optionally `handOverUrl`
 * in the current context, and `partnershipUrl` with `partnershipWith` for the page both
 * sides share (it only shows: it answers nothing).
 */
export const answersHtml = `<p style="margin:16px 0 6px;"><a href="{{inTouchUrl}}" style="display:inline-block;padding:10px 16px;border:2px solid #2b233d;color:#2b233d;text-decoration:none;border-radius:6px;font-weight:bold;">We're in touch</a></p>
<p style="margin:0 0 8px;font-size:15px;"><a href="{{activitiesUrl}}">Record what you have done or planned</a>{{#handOverUrl}} · <a href="{{handOverUrl}}">Hand over to a colleague</a>{{/handOverUrl}} · Pause for <a href="{{pause1Url}}">1 month</a> or <a href="{{pause3Url}}">3 months</a></p>
{{#partnershipUrl}}<p style="margin:0 0 8px;font-size:15px;"><a href="{{partnershipUrl}}">See your partnership with {{partnershipWith}}</a></p>{{/partnershipUrl}}`;

export const answersText = `We're in touch: {{inTouchUrl}}
Record what you have done or planned: {{activitiesUrl}}
{{#handOverUrl}}Hand over to a colleague: {{handOverUrl}}
{{/handOverUrl}}Pause for 1 month: {{pause1Url}}
Pause for 3 months: {{pause3Url}}{{#partnershipUrl}}
See your partnership with {{partnershipWith}}: {{partnershipUrl}}{{/partnershipUrl}}`;

/**
 * The answer links an email about one link carries, named as the templates expect, and
 * the page both sides share: `partnershipWith` names the other side (the event for a
 * champion, the practice for a director).
 */
export type AnswerUrls = {
  inTouchUrl: string;
  activitiesUrl: string;
  pause1Url: string;
  pause3Url: string;
  handOverUrl?: string;
  partnershipUrl?: string;
  partnershipWith?: string;
};
