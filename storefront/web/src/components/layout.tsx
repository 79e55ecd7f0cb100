import type { ComponentChildren, FunctionComponent } from 'preact';
import { useLocation } from 'preact-iso';
import { useBasket } from '../basket';
import { session, useSession, type Session } from '../session';
import { useTitle } from '../use-request';

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

/**
 * A page that needs a customer. A visitor who has not signed in is asked to; the page itself runs
 * (and so asks the shop anything) only with a session, which it gets as a prop.
 */
export function forCustomer<P extends object>(page: { title: string; what: string }, Page: FunctionComponent<P & { session: Session }>): FunctionComponent<P> {
  return function SignedInOnly(props: P) {
    const current = useSession();
    useTitle(page.title);
    return current ? <Page {...props} session={current} /> : <SignInFirst what={page.what} />;
  };
}

/** What a page that needs a customer shows to a visitor who has not signed in. */
function SignInFirst({ what }: { what: string }) {
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
