import type { MailSettings } from './mail/transport.ts';

/** A limit of `max` hits per client in each fixed window of `windowMs`. */
export interface RateRule {
  max: number;
  windowMs: number;
}

export interface Config {
  /** Keys the hashes of IP addresses and avatars; generated once and kept in the store when not given. */
  secret?: string;
  /** How long after posting a reader may edit or delete their comment. */
  editWindowMs: number;
  /** Deepest reply accepted (a top-level comment has depth 0). */
  maxDepth: number;
  rateLimits: {
    /** Posting, editing and deleting comments. */
    write: RateRule;
    preview: RateRule;
    /** Asking for one's own comments by their edit tokens (each token is checked with a hash). */
    own: RateRule;
    /** Sign-in attempts, counted per client and per email. */
    signIn: RateRule;
    /** Up-votes and taking them back, per client address (a browser key alone costs nothing to make). */
    vote: RateRule;
  };
  /** PBKDF2 iterations for new password hashes. */
  passwordIterations: number;
  /** A dashboard session ends this long after its last use. */
  sessionTtlMs: number;
  /**
   * The address people reach Parley at, such as `https://comments.example.com`, when a proxy in front of it
   * changes scheme or host. Passkeys, invite links and the dashboard's same-origin check use it.
   */
  publicUrl?: string;
  /** First server owner, created at start when the server has none (for deployments without a shell). */
  bootstrapAdmin?: { email: string; password: string };
  /** Asks Akismet about every comment that passed the other checks; absent without `PARLEY_AKISMET_KEY`. */
  akismet?: AkismetConfig;
  /** Sender and timing of mail; absent without `PARLEY_MAIL_FROM` (mail also needs a transport: see the entries). */
  mail?: MailSettings;
  /** Lets webhooks post to loopback and private addresses (`PARLEY_WEBHOOKS_ALLOW_PRIVATE=1`). */
  webhooksAllowPrivate?: boolean;
  /** Live streams (`GET /api/comments/live`) one instance holds at most; more are refused with 503. */
  liveMaxStreams: number;
}

export interface AkismetConfig {
  key: string;
  /** Base URL of the service, without a trailing slash. */
  endpoint: string;
  /** How long to wait for an answer before publishing without one. */
  timeoutMs: number;
}

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256. */
export const DEFAULT_PASSWORD_ITERATIONS = 600_000;

export const MAIL_DEFAULTS = { batchMs: 2 * 60_000, retryMs: 30_000 } as const;

export const AKISMET_DEFAULTS = { endpoint: 'https://rest.akismet.com', timeoutMs: 2000 } as const;

export const DEFAULT_CONFIG: Config = {
  editWindowMs: 15 * 60_000,
  maxDepth: 64,
  rateLimits: {
    write: { max: 10, windowMs: 60_000 },
    preview: { max: 60, windowMs: 60_000 },
    own: { max: 30, windowMs: 60_000 },
    signIn: { max: 10, windowMs: 15 * 60_000 },
    vote: { max: 30, windowMs: 60_000 },
  },
  passwordIterations: DEFAULT_PASSWORD_ITERATIONS,
  sessionTtlMs: 30 * 24 * 60 * 60_000,
  liveMaxStreams: 5000,
};

/** Clock as a dependency, so tests can move time (edit windows, rate-limit windows). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Reads the settings every runtime shares from environment-like variables (process.env on Node, bindings on
 * Workers). Unknown or malformed numbers fall back to the defaults.
 */
export function configFromEnv(env: Record<string, string | undefined>): Config {
  const int = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  const { write, preview, own, signIn, vote } = DEFAULT_CONFIG.rateLimits;
  return {
    ...(env.PARLEY_SECRET && { secret: env.PARLEY_SECRET }),
    editWindowMs: int('PARLEY_EDIT_WINDOW_MS', DEFAULT_CONFIG.editWindowMs),
    maxDepth: int('PARLEY_MAX_DEPTH', DEFAULT_CONFIG.maxDepth),
    rateLimits: {
      write: {
        max: int('PARLEY_RATE_LIMIT_MAX', write.max),
        windowMs: int('PARLEY_RATE_LIMIT_WINDOW_MS', write.windowMs),
      },
      preview: { max: int('PARLEY_PREVIEW_LIMIT_MAX', preview.max), windowMs: preview.windowMs },
      own: { max: int('PARLEY_OWN_LIMIT_MAX', own.max), windowMs: own.windowMs },
      signIn: { max: int('PARLEY_SIGN_IN_LIMIT_MAX', signIn.max), windowMs: signIn.windowMs },
      vote: { max: int('PARLEY_VOTE_LIMIT_MAX', vote.max), windowMs: vote.windowMs },
    },
    passwordIterations: int('PARLEY_PASSWORD_ITERATIONS', DEFAULT_CONFIG.passwordIterations),
    sessionTtlMs: int('PARLEY_SESSION_TTL_MS', DEFAULT_CONFIG.sessionTtlMs),
    liveMaxStreams: int('PARLEY_LIVE_MAX_STREAMS', DEFAULT_CONFIG.liveMaxStreams),
    ...(env.PARLEY_PUBLIC_URL && { publicUrl: env.PARLEY_PUBLIC_URL }),
    ...(env.PARLEY_ADMIN_EMAIL &&
      env.PARLEY_ADMIN_PASSWORD && {
        bootstrapAdmin: { email: env.PARLEY_ADMIN_EMAIL, password: env.PARLEY_ADMIN_PASSWORD },
      }),
    ...(env.PARLEY_WEBHOOKS_ALLOW_PRIVATE === '1' && { webhooksAllowPrivate: true }),
    ...(env.PARLEY_AKISMET_KEY && {
      akismet: {
        key: env.PARLEY_AKISMET_KEY,
        endpoint: (env.PARLEY_AKISMET_ENDPOINT || AKISMET_DEFAULTS.endpoint).replace(/\/+$/, ''),
        timeoutMs: int('PARLEY_AKISMET_TIMEOUT_MS', AKISMET_DEFAULTS.timeoutMs),
      },
    }),
    ...(env.PARLEY_MAIL_FROM && {
      mail: {
        from: env.PARLEY_MAIL_FROM,
        batchMs: int('PARLEY_MAIL_BATCH_MS', MAIL_DEFAULTS.batchMs),
        retryMs: int('PARLEY_MAIL_RETRY_MS', MAIL_DEFAULTS.retryMs),
      },
    }),
  };
}
