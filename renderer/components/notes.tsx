/** A report's or a comparison's notes: what the engine wants the reader to know about the numbers. */

/** The "Notes" section, or nothing when there are none. */
export function Notes({ notes }: { readonly notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <section className="notes" aria-label="Notes">
      <h3>Notes</h3>
      <ul>
        {notes.map((note, i) => (
          <li key={i}>{note}</li>
        ))}
      </ul>
    </section>
  );
}
