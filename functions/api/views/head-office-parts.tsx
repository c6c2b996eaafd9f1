/** Pieces every head-office page uses. */
import type { Child } from 'hono/jsx';

/** A plain table with column headings, or a sentence when there is nothing to show. */
export function Table(props: { columns: string[]; rows: Child[][]; empty: string }) {
  if (props.rows.length === 0) return <p>{props.empty}</p>;
  return (
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
