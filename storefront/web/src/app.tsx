import { ErrorBoundary, LocationProvider, Route, Router } from 'preact-iso';
import { Layout } from './components/layout';
import { CartPage } from './pages/cart';
import { CatalogPage } from './pages/catalog';
import { MyPage } from './pages/my-page';
import { NotFoundPage } from './pages/not-found';
import { OrderPage } from './pages/order';
import { ProductPage } from './pages/product';
import { SignInPage } from './pages/sign-in';

/**
 * The storefront's pages. Their paths sit beside the API's on one origin, so none may begin like
 * an API route (/products, /orders, /carts, /mypages, /paymentLists): the pages live under /shop/
 * and Envoy sends / and /shop/… to the storefront's server (envoy/envoy.yaml).
 */
export function App() {
  return (
    <LocationProvider>
      <Layout>
        <ErrorBoundary>
          <Router onRouteChange={focusMain}>
            <Route path="/" component={CatalogPage} />
            <Route path="/shop/products/:productId" component={ProductPage} />
            <Route path="/shop/orders/:orderId" component={OrderPage} />
            <Route path="/shop/cart" component={CartPage} />
            <Route path="/shop/my-page" component={MyPage} />
            <Route path="/shop/sign-in" component={SignInPage} />
            <Route default component={NotFoundPage} />
          </Router>
        </ErrorBoundary>
      </Layout>
    </LocationProvider>
  );
}

/** After a navigation, keyboard and screen-reader users start at the new page's content. */
function focusMain(): void {
  document.getElementById('main')?.focus();
}
