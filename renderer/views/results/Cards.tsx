/** A row of number cards: a label, a value with its unit, a hint. Shared by the results tabs. */
import { unitRuns } from './view-format.js';

/** One card. */
export interface Card {
  readonly label: string;
  readonly value: string;
  readonly hint: string;
}

/** The cards as a list, named `label` for assistive technology. */
export function Cards({ label, cards }: { readonly label: string; readonly cards: readonly Card[] }) {
  return (
    <ul className="cards" aria-label={label}>
      {cards.map((c) => (
        <li key={c.label} className="card">
          <span className="card-label">{c.label}</span>
          <CardValue value={c.value} />
          <span className="card-hint">{c.hint}</span>
        </li>
      ))}
    </ul>
  );
}

function CardValue({ value }: { readonly value: string }) {
  return (
    <span className="card-value">
      {unitRuns(value).map((part, i) =>
        typeof part === 'string' ? (
          part
        ) : (
          <span key={i} className="nowrap">
            {part[0]}
          </span>
        ),
      )}
    </span>
  );
}
