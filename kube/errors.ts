// The one error type every API call raises, so callers branch on code/reason instead of parsing messages.

/** What a failed request was about, for the error message. */
export interface RequestTarget {
  verb: string;
  /** "resource.group" or a raw path for discovery. */
  resource: string;
  namespace?: string;
  name?: string;
}

/** A failed API request: HTTP status (0 for network errors and timeouts), Kubernetes reason and message, and the object named. */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  /** HTTP status code, or 0 when no response arrived. */
  readonly code: number;
  /** Kubernetes Status reason ("NotFound", "Conflict", "Expired", …), or "NetworkError"/"Timeout". */
  readonly reason: string;
  /** The server's (or socket's) message without our prefix. */
  readonly serverMessage: string;
  readonly target: RequestTarget;
  /** Seconds from a Retry-After header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  /** Builds the error; the message reads "verb resource ns/name: code reason: message". */
  constructor(
    target: RequestTarget,
    code: number,
    reason: string,
    message: string,
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    const obj = target.name ? ` ${target.namespace ? `${target.namespace}/` : ''}${target.name}` : '';
    const where = !target.name && target.namespace ? ` in namespace ${target.namespace}` : '';
    super(`${target.verb} ${target.resource}${obj}${where}: ${code || ''}${code ? ' ' : ''}${reason}: ${message}`, {
      cause: options.cause,
    });
    this.code = code;
    this.reason = reason;
    this.serverMessage = message;
    this.target = target;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True for 410 Gone / reason Expired: the resourceVersion or continue token is too old and a relist is needed. */
export function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
}

/** True for 404 NotFound. */
export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 404;
}

/** True for 409 Conflict (including failed preconditions and AlreadyExists). */
export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 409;
}

/** Turns a Kubernetes Status body (or any body) into a KubeApiError. */
export function errorFromResponse(
  target: RequestTarget,
  status: number,
  body: string,
  retryAfterSeconds?: number,
): KubeApiError {
  let reason = defaultReason(status);
  let message = body.trim().slice(0, 1000) || `HTTP ${status}`;
  try {
    const parsed = JSON.parse(body) as { kind?: string; reason?: string; message?: string };
    if (parsed && parsed.kind === 'Status') {
      if (parsed.reason) reason = parsed.reason;
      if (parsed.message) message = parsed.message;
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the raw text, which is the most useful thing we have.
  }
  return new KubeApiError(
    target,
    status,
    reason,
    message,
    retryAfterSeconds === undefined ? {} : { retryAfterSeconds },
  );
}

function defaultReason(status: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    406: 'NotAcceptable',
    409: 'Conflict',
    410: 'Expired',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[status] ?? 'Unknown';
}
