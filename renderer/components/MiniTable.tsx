// The small tables of the details panes (conditions, containers, resources, events): a caption,
// one header row of column names, and the rows the caller renders.
import type { ReactNode } from 'react';

/** A `mini-table` with `headers` as its column headers; `children` are its body rows. */
export function MiniTable({ caption, headers, testId, children }: { caption?: string; headers: readonly string[]; testId?: string; children: ReactNode }) {
  return (
    <table className="mini-table" data-testid={testId}>
      {caption !== undefined && <caption>{caption}</caption>}
      <thead>
        <tr>
          {headers.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
