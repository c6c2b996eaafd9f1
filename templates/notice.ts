/**
 * The plain shape most of our emails share: a greeting, short paragraphs, optional
 * one-tap choices, one main action and one smaller link. Each use names its own template,
 * so the message log says which email it was.
 */
import { buttonStyle } from './layout.js';
import type { EmailTemplate } from './render.js';

export interface NoticeView {
  greeting: string;
  subject: string;
  paragraphs: string[];
  /** One-tap answers, such as how many roles are filled. */
  choices?: Array<{ label: string; url: string }>;
  action?: { label: string; url: string };
  change?: { label: string; url: string };
  /** The page both sides of the link share: "See your partnership with <the other side>". */
  partnership?: { otherSide: string; url: string };
}

export function noticeTemplate(name: string): EmailTemplate<NoticeView> {
  return {
    name,
    subject: '{{subject}}',
    text: `Hello {{greeting}},
{{#paragraphs}}

{{.}}
{{/paragraphs}}
{{#choices}}

{{label}}: {{url}}
{{/choices}}
{{#action}}

{{label}}: {{url}}
{{/action}}
{{#change}}

{{label}}: {{url}}
{{/change}}
{{#partnership}}

See your partnership with {{otherSide}}: {{url}}
{{/partnership}}`,
    html: `<p>Hello {{greeting}},</p>
{{#paragraphs}}<p>{{.}}</p>{{/paragraphs}}
{{#choices}}<p style="margin:6px 0;"><a href="{{url}}">{{label}}</a></p>{{/choices}}
{{#action}}<p><a href="{{url}}" style="${buttonStyle}">{{label}}</a></p>{{/action}}
{{#change}}<p style="font-size:15px;"><a href="{{url}}">{{label}}</a></p>{{/change}}
{{#partnership}}<p style="font-size:15px;"><a href="{{url}}">See your partnership with {{otherSide}}</a></p>{{/partnership}}`,
  };
}
