/** What a mustache template names, so a test can build a view for any template without knowing it. */
import Mustache from 'mustache';

export type Names = { values: Set<string>; sections: Map<string, Names>; iterates: boolean };

/** The names a template uses: plain values, and sections with the names inside them. */
export function namesOf(tokens: Mustache.TemplateSpans, into: Names = { values: new Set(), sections: new Map(), iterates: false }): Names {
  for (const token of tokens) {
    const [type, name] = token as unknown as [string, string];
    if (type === 'name' || type === '&') {
      if (name === '.') into.iterates = true;
      else into.values.add(name.split('.')[0]!);
    } else if (type === '#' || type === '^') {
      const inner = into.sections.get(name.split('.')[0]!) ?? { values: new Set(), sections: new Map(), iterates: false };
      namesOf((token as unknown as unknown[])[4] as Mustache.TemplateSpans, inner);
      if (type === '#') into.sections.set(name.split('.')[0]!, inner);
      else for (const v of inner.values) into.values.add(v);
    }
  }
  return into;
}
