import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useBasket } from '../basket';
import { session, useSession } from '../session';

export function Layout({ children }: { children: ComponentChildren }) {
  const current = useSession();
  const { lines } = useBasket();
  const { path, route } = useLocation();
  const link = (href: string, label: string) => (
    <a href={href} aria-current={path === href ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <a class="brand" href="/">
          Funshop
        </a>
        <nav aria-label="Main">
          {link('/', lines.length ? `Catalog (${lines.length} chosen)` : 'Catalog')}
          {link('/shop/cart', 'Cart')}
          {link('/shop/my-page', 'My page')}
        </nav>
        <div class="account">
          {current ? (
            <>
              <span>
                Signed in as <strong>{current.customerId}</strong>
              </span>
              <button
                type="button"
                class="link-button"
                onClick={() => {
                  session.end('signed-out');
                  route('/shop/sign-in');
                }}
              >
                Sign out
              </button>
            </>
          ) : (
            link(`/shop/sign-in?next=${encodeURIComponent(path)}`, 'Sign in')
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** What a page that needs a customer shows to a visitor who has not signed in. */
export function SignInFirst({ what }: { what: string }) {
  const { path } = useLocation();
  return (
    <section>
      <h1>{what}</h1>
      <p>
        <a href={`/shop/sign-in?next=${encodeURIComponent(path)}`}>Sign in</a> to see {what.toLowerCase()}.
      </p>
    </section>
  );
}
