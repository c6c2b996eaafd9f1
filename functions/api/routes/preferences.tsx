/** /preferences/:token: the footer link of every email. GET shows the choices; POST saves them. */
import { Hono } from 'hono';
import { emailKinds, type EmailKind } from '../../core/model.js';
import { openPreferences, savePreferences, unsubscribeAll, type PreferencesDeps } from '../../core/use-cases/email-preferences.js';
import { PreferencesPage } from '../views/preference-pages.js';
import { readForm } from './answer-forms.js';

export function preferenceRoutes(deps: PreferencesDeps) {
  return new Hono()
    .get('/:token', async (c) => {
      const { email, preferences } = await openPreferences(deps, c.req.param('token'));
      return c.html(<PreferencesPage email={email} stopped={preferences.stopped} />);
    })
    .post('/:token', async (c) => {
      const body = await readForm(c);
      const token = c.req.param('token');
      if (body.action === 'stop-all') {
        const { email } = await unsubscribeAll(deps, token, 'unsubscribe-page');
        return c.html(<PreferencesPage email={email} stopped={['all']} saved />);
      }
      // Unknown values are ignored: only the kinds on the page can be kept.
      const keep = ([] as unknown[]).concat(body.keep ?? []).filter((k): k is EmailKind => typeof k === 'string' && Object.hasOwn(emailKinds, k));
      const { email, stopped } = await savePreferences(deps, token, keep);
      return c.html(<PreferencesPage email={email} stopped={stopped} saved />);
    });
}
