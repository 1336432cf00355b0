/** A clearly labelled placeholder route for a view another part of the project is building. */
export function ComingView({ title, what }: { title: string; what: string }) {
  return (
    <section className="view" aria-labelledby="coming-title">
      <h2 id="coming-title">{title}</h2>
      <p className="callout callout--info" data-testid="coming-soon">
        Coming: {what}
      </p>
    </section>
  );
}
