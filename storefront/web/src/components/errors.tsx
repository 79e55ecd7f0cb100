import { ApiError, NetworkError } from '../api/client';

/** What to tell a person about a failed call, in a sentence, by what they can do about it. */
export function explain(error: unknown): string {
  if (error instanceof NetworkError) return 'The shop cannot be reached. Check your connection and try again.';
  if (!(error instanceof ApiError)) return 'Something went wrong in this page. Reload it and try again.';
  switch (error.httpStatus) {
    case 401:
      return 'Your session has ended. Sign in again.';
    case 404:
      return 'There is nothing here, or it is not yours.';
    case 409:
      return sentence(error.message);
    case 429:
    case 503:
    case 504:
      return 'The shop is busy right now. Try again in a moment.';
    default:
      return error.httpStatus >= 500 ? 'The shop failed to answer. Try again in a moment.' : sentence(error.message);
  }
}

/** "payment declined: card declined" → "Payment declined: card declined." */
function sentence(message: string): string {
  const text = message.trim();
  return text ? `${text[0].toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}` : 'The shop refused this.';
}

/**
 * A failed call, announced to screen readers (role=alert). A 400 whose violations the form shows
 * beside their fields (`shownFields`) says only that; the support reference is the call's
 * correlation id.
 */
export function ErrorNotice({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  const onlyFields = apiError?.httpStatus === 400 && [...apiError.fieldViolations.keys()].every((field) => shownFields.includes(field));
  return (
    <div class="notice notice-error" role="alert">
      <p>{onlyFields && apiError!.fieldViolations.size > 0 ? 'Please correct the fields marked below.' : explain(error)}</p>
      {apiError?.requestId && (
        <p class="reference">
          Support reference: <code>{apiError.requestId}</code>
        </p>
      )}
    </div>
  );
}

/** A field's violation from a 400, next to the field; `id` is what the input's aria-describedby names. */
export function FieldError({ error, field, id }: { error: unknown; field: string; id: string }) {
  const message = error instanceof ApiError ? error.fieldViolations.get(field) : undefined;
  return message ? (
    <p class="field-error" id={id}>
      {sentence(message)}
    </p>
  ) : null;
}

export function fieldInvalid(error: unknown, field: string): boolean {
  return error instanceof ApiError && error.fieldViolations.has(field);
}
