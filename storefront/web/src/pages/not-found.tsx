import { useTitle } from '../use-request';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no such page. <a href="/">Go to the catalog</a>.
      </p>
    </section>
  );
}
