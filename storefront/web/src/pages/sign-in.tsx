import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../api/client';
import { ErrorNotice, FieldError, fieldInvalid } from '../components/errors';
import { session } from '../session';
import { signInForDevelopment, signInMethod, signInWithToken } from '../sign-in';
import { useRequest, useTitle } from '../use-request';

export function SignInPage() {
  const { query, route } = useLocation();
  const method = useRequest('sign-in-method', signInMethod);
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>();
  useTitle('Sign in');
  // Back where the customer came from, if that was a page of this storefront (other than this one).
  const next = query.next?.startsWith('/') && !query.next.startsWith('//') && !query.next.startsWith('/shop/sign-in') ? query.next : '/';

  async function signIn(event: Event) {
    event.preventDefault();
    setError(undefined);
    try {
      if (method.data === 'development') await signInForDevelopment(value.trim());
      else signInWithToken(value);
      route(next);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section class="sign-in" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      {session.lastEnd() === 'expired' && <p class="notice">Your session has ended. Please sign in again.</p>}
      <ErrorNotice error={method.error} />
      {method.data === 'development' && (
        <form onSubmit={signIn}>
          <p class="hint">Development sign-in: any customer name signs you in as that customer.</p>
          <div class="field">
            <label for="customer-id">Customer name</label>
            <input
              id="customer-id"
              autoComplete="username"
              value={value}
              required
              maxLength={64}
              pattern="[A-Za-z0-9_\-]{1,64}"
              aria-invalid={fieldInvalid(error, 'customerId') || undefined}
              aria-describedby="customer-id-hint customer-id-error"
              onInput={(event) => setValue((event.target as HTMLInputElement).value)}
            />
            <p class="hint" id="customer-id-hint">
              Letters, digits, "-" and "_", up to 64.
            </p>
            <FieldError error={error} field="customerId" id="customer-id-error" />
          </div>
          <ErrorNotice error={error} shownFields={['customerId']} />
          <button type="submit" class="primary">
            Sign in
          </button>
        </form>
      )}
      {method.data === 'token' && (
        <form onSubmit={signIn}>
          <div class="field">
            <label for="token">Bearer token</label>
            <textarea id="token" rows={4} required value={value} onInput={(event) => setValue((event.target as HTMLTextAreaElement).value)} />
            <p class="hint">
              From your identity provider; for a development key, <code>npm run token -- alice</code>.
            </p>
          </div>
          {error instanceof Error && !(error instanceof ApiError) && (
            <p class="field-error" role="alert">
              {error.message}
            </p>
          )}
          <button type="submit" class="primary">
            Sign in
          </button>
        </form>
      )}
    </section>
  );
}
