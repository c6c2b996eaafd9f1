/** Which emails a person gets: reached from the footer of every email. */
import { emailKinds, type EmailKind, type OptOutScope } from '../../core/model.js';
import { Layout } from './layout.js';

export function PreferencesPage(props: { email: string; stopped: OptOutScope[]; saved?: boolean }) {
  const all = props.stopped.includes('all');
  const keeps = (kind: EmailKind) => !all && !props.stopped.includes(kind);
  return (
    <Layout title={props.saved ? 'Email choices saved' : 'Choose which emails you get'}>
      {props.saved ? (
        <div class="done" role="status">
          <h1>Saved</h1>
          <p>{all ? `We will not send any more emails to ${props.email}.` : `Your choices for ${props.email} are saved, and take effect now.`}</p>
        </div>
      ) : (
        <>
          <h1>Choose which emails you get</h1>
          <p>For {props.email}. Untick anything you do not want; it takes effect straight away.</p>
        </>
      )}
      <form method="post">
        <fieldset>
          <legend>Keep sending me</legend>
          {(Object.entries(emailKinds) as Array<[EmailKind, string]>).map(([kind, label]) => (
            <div class="choice">
              <input id={`f-${kind}`} type="checkbox" name="keep" value={kind} checked={keeps(kind)} />
              <label for={`f-${kind}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" name="action" value="save">
          Save my choices
        </button>
      </form>
      <form method="post" class="secondary">
        <input type="hidden" name="action" value="stop-all" />
        <button type="submit" class="secondary-button">
          Stop all emails
        </button>
      </form>
    </Layout>
  );
}

export function UnsubscribePage(props: { email: string; done?: boolean }) {
  return props.done ? (
    <Layout title="Done: no more emails">
      <div class="done" role="status">
        <h1>Done: you will not get more emails from us</h1>
        <p>We will not email {props.email} again. If this was a mistake, reply to any of our emails and we will put it right.</p>
      </div>
    </Layout>
  ) : (
    <Layout title="Stop emails">
      <h1>Stop emails from parkrun practice nudges?</h1>
      <p>We will stop sending emails to {props.email}.</p>
      <form method="post">
        <button type="submit">Stop all emails</button>
      </form>
    </Layout>
  );
}
