import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import type { PasskeyLogin, PasskeyRegistration } from '../../shared/admin-schemas.ts';
import { ApiError } from '../errors.ts';
import type { AuthChallengeRow, PasskeyRow, UserRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

/*
 * Passkeys (WebAuthn) through @simplewebauthn/server, which verifies on WebCrypto in Node and Workers alike.
 * Challenges live in the store rather than in memory, so a ceremony may start on one instance and finish on
 * another; each is taken once and lasts 5 minutes. Credentials are discoverable (resident), so signing in needs
 * no email: the authenticator names the account, and user verification (PIN, biometrics) is required because
 * the passkey stands in for the password.
 */

export const CHALLENGE_TTL_MS = 5 * 60_000;
const RP_NAME = 'Parley';

/** Who asks for the credential: the dashboard's host and origin, as the request reached us. */
export interface RelyingParty {
  id: string;
  origin: string;
}

export function relyingPartyFor(origin: string): RelyingParty {
  const url = new URL(origin);
  return { id: url.hostname, origin: url.origin };
}

/** The challenge the browser signed, taken from the store; throws the caller's error when it is not there. */
async function takeSignedChallenge(
  store: Store,
  clientDataJSON: string,
  purpose: AuthChallengeRow['purpose'],
  now: number,
  refuse: (why: string) => ApiError,
): Promise<AuthChallengeRow> {
  let challenge: string;
  try {
    challenge = decodeClientDataJSON(clientDataJSON).challenge;
  } catch {
    throw refuse('The browser sent malformed client data');
  }
  const issued = typeof challenge === 'string' && (await store.takeChallenge(challenge, purpose, now));
  if (!issued) throw refuse('That passkey request has expired or was already used; try again');
  return issued;
}

/** Options for `navigator.credentials.create()`; the challenge is kept for this user. */
export async function registrationOptions(store: Store, user: UserRow, rp: RelyingParty, now: number) {
  const existing = await store.listPasskeys(user.id);
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: isoUint8Array.fromUTF8String(user.id),
    attestationType: 'none',
    // The same authenticator twice would only be a confusing duplicate in the list.
    excludeCredentials: existing.map((key) => ({ id: key.id, transports: JSON.parse(key.transports) })),
    authenticatorSelection: {
      residentKey: 'required',
      requireResidentKey: true,
      userVerification: 'required',
    },
    timeout: CHALLENGE_TTL_MS,
  });
  await store.insertChallenge(
    {
      challenge: options.challenge,
      user_id: user.id,
      purpose: 'register',
      expires_at: now + CHALLENGE_TTL_MS,
    },
    now,
  );
  return options;
}

/** Verifies the authenticator's attestation against a challenge issued to this user, and stores the passkey. */
export async function registerPasskey(
  store: Store,
  user: UserRow,
  rp: RelyingParty,
  { response, name }: PasskeyRegistration,
  now: number,
): Promise<PasskeyRow> {
  const refuse = (why: string) =>
    new ApiError(422, 'invalid_input', 'The passkey could not be added', { response: why });
  const issued = await takeSignedChallenge(store, response.response.clientDataJSON, 'register', now, refuse);
  if (issued.user_id !== user.id) throw refuse('That passkey request was made for another account');

  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: {
        ...response,
        authenticatorAttachment: response.authenticatorAttachment ?? undefined,
        clientExtensionResults: response.clientExtensionResults ?? {},
      },
      expectedChallenge: issued.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    throw refuse(error instanceof Error ? error.message : 'The authenticator’s answer did not verify');
  }
  if (!verified.verified) throw refuse('The authenticator’s answer did not verify');

  const { credential } = verified.registrationInfo;
  if (await store.getPasskey(credential.id)) throw refuse('This passkey is already registered');
  const passkey: PasskeyRow = {
    id: credential.id,
    user_id: user.id,
    public_key: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: JSON.stringify(credential.transports ?? response.response.transports ?? []),
    name,
    created_at: now,
    last_used_at: null,
  };
  await store.insertPasskey(passkey);
  return passkey;
}

/** Options for `navigator.credentials.get()` with no allow-list: the person picks any passkey for this site. */
export async function loginOptions(store: Store, rp: RelyingParty, now: number) {
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: 'required',
    timeout: CHALLENGE_TTL_MS,
  });
  await store.insertChallenge(
    { challenge: options.challenge, user_id: null, purpose: 'login', expires_at: now + CHALLENGE_TTL_MS },
    now,
  );
  return options;
}

/** Verifies an assertion and records the passkey's use; returns the account it signs in. */
export async function signInWithPasskey(
  store: Store,
  rp: RelyingParty,
  { response }: PasskeyLogin,
  now: number,
): Promise<UserRow> {
  const refuse = (why: string) => new ApiError(401, 'unauthorized', why);
  // Taken before anything else, so a failed attempt spends the challenge too.
  const issued = await takeSignedChallenge(store, response.response.clientDataJSON, 'login', now, refuse);
  const passkey = await store.getPasskey(response.id);
  const user = passkey && (await store.getUser(passkey.user_id));
  if (!passkey || !user) throw refuse('This passkey is not registered here; sign in with your password');
  const { userHandle } = response.response;
  if (userHandle && isoBase64URL.toUTF8String(userHandle) !== user.id) {
    throw refuse('The passkey does not belong to the account it names');
  }

  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response: {
        ...response,
        response: { ...response.response, userHandle: userHandle ?? undefined },
        authenticatorAttachment: response.authenticatorAttachment ?? undefined,
        clientExtensionResults: response.clientExtensionResults ?? {},
      },
      expectedChallenge: issued.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.id,
        publicKey: isoBase64URL.toBuffer(passkey.public_key),
        counter: passkey.counter,
        transports: JSON.parse(passkey.transports),
      },
      requireUserVerification: true,
    });
  } catch {
    // The library's reasons (counter went back, wrong origin, bad signature) are for the log, not the caller.
    throw refuse('The passkey could not be verified');
  }
  if (!verified.verified) throw refuse('The passkey could not be verified');
  await store.usePasskey(passkey.id, verified.authenticationInfo.newCounter, now);
  return user;
}
