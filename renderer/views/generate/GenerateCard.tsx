/** A number card of the Generation view, and a symbol (α, γ, c) that keeps its case in a card label. */
import type { ReactNode } from 'react';

/** Card labels are upper-cased by CSS; a symbol (α, γ, c) keeps its case, or α would read as A. */
export const Sym = ({ children }: { readonly children: string }) => <span className="symbol">{children}</span>;

/** One number with its label and a hint under it. */
export function Card({
  label,
  value,
  hint,
}: {
  readonly label: ReactNode;
  readonly value: string;
  readonly hint: string;
}) {
  return (
    <div className="card">
      <div className="card-label">{label}</div>
      <div className="card-value">{value}</div>
      <div className="card-hint">{hint}</div>
    </div>
  );
}
