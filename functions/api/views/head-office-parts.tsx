/** Pieces every head-office page uses. */
import type { Child } from 'hono/jsx';

/**
 * A plain table with column headings, or a sentence when there is nothing to show. On a
 * narrow screen it scrolls sideways in its own box, which a keyboard can focus to scroll.
 */
export function Table(props: { columns: string[]; rows: Child[][]; empty: string }) {
  if (props.rows.length === 0) return <p>{props.empty}</p>;
  return (
    <div class="table-scroll" role="region" aria-label={`Table: ${props.columns.join(', ')}`} tabindex={0}>
    <table>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col">{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((cells) => (
          <tr>
            {cells.map((cell) => (
              <td>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

/** What an action just did, announced to a screen reader. */
export function Notice(props: { text?: string }) {
  if (!props.text) return null;
  return (
    <div class="done" role="status">
      <p>{props.text}</p>
    </div>
  );
}
