import type { PasskeyLogin, PasskeyRegistration, SessionView } from '../shared/admin-schemas.ts';
import { api, type Result } from './api.ts';

/*
 * Passkeys through `navigator.credentials`. The server speaks the WebAuthn JSON forms (base64url strings for
 * binary fields, https://w3c.github.io/webauthn/#sctn-parseCreationOptionsFromJSON); the browser API wants
 * ArrayBuffers. These helpers convert both ways.
 */

type Json = Record<string, unknown>;

function toBase64url(buffer: ArrayBuffer | ArrayBufferView): string {
  const bytes = ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): ArrayBuffer {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** The server may answer the options bare or wrapped as `{ publicKey }` (the shape `credentials.create` takes). */
const unwrap = (options: Json): Json => (options.publicKey as Json | undefined) ?? options;

const descriptors = (list: unknown) =>
  (list as Array<Json & { id: string }> | undefined)?.map((item) => ({
    ...item,
    id: fromBase64url(item.id),
  }));

function creationOptions(json: Json): PublicKeyCredentialCreationOptions {
  const user = json.user as Json & { id: string };
  return {
    ...json,
    challenge: fromBase64url(json.challenge as string),
    user: { ...user, id: fromBase64url(user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  } as PublicKeyCredentialCreationOptions;
}

function requestOptions(json: Json): PublicKeyCredentialRequestOptions {
  return {
    ...json,
    challenge: fromBase64url(json.challenge as string),
    allowCredentials: descriptors(json.allowCredentials),
  } as PublicKeyCredentialRequestOptions;
}

/** The fields every credential has, in the shape of `shared/admin-schemas.ts`, around its own `response`. */
function credentialJson<R>(credential: PublicKeyCredential, response: R) {
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: 'public-key' as const,
    authenticatorAttachment: credential.authenticatorAttachment as 'platform' | 'cross-platform' | null,
    clientExtensionResults: { ...credential.getClientExtensionResults() },
    response,
  };
}

/** Whether this browser can use passkeys at all. */
export const passkeysSupported = () => typeof PublicKeyCredential === 'function' && !!navigator.credentials;

/** The browser's refusal in words; a person closing the prompt is not an error worth shouting about. */
export function describeCeremonyError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError') return 'The passkey prompt was closed or timed out. Nothing was changed.';
  if (name === 'InvalidStateError') return 'This device already holds a passkey for your account.';
  return `The browser refused: ${error instanceof Error ? error.message : String(error)}`;
}

/** Creates a passkey on this device and stores it on the server under `name`. Throws what the browser throws. */
export async function registerPasskey(name: string): Promise<Result<unknown>> {
  const options = await api<Json>('/passkeys/register/options', { method: 'POST', body: {} });
  if (!options.ok) return options;
  const credential = (await navigator.credentials.create({
    publicKey: creationOptions(unwrap(options.value)),
  })) as PublicKeyCredential | null;
  if (!credential) throw new DOMException('No credential', 'NotAllowedError');
  const response = credential.response as AuthenticatorAttestationResponse;
  const body: PasskeyRegistration = {
    name,
    response: credentialJson(credential, {
      clientDataJSON: toBase64url(response.clientDataJSON),
      attestationObject: toBase64url(response.attestationObject),
      transports: response.getTransports?.() ?? [],
    }),
  };
  return api('/passkeys/register', { method: 'POST', body });
}

/** Signs in with a passkey the person picks. Throws what the browser throws. */
export async function signInWithPasskey(): Promise<Result<SessionView>> {
  const options = await api<Json>('/passkeys/login/options', { method: 'POST', body: {} });
  if (!options.ok) return options;
  const credential = (await navigator.credentials.get({
    publicKey: requestOptions(unwrap(options.value)),
  })) as PublicKeyCredential | null;
  if (!credential) throw new DOMException('No credential', 'NotAllowedError');
  const response = credential.response as AuthenticatorAssertionResponse;
  const body: PasskeyLogin = {
    response: credentialJson(credential, {
      clientDataJSON: toBase64url(response.clientDataJSON),
      authenticatorData: toBase64url(response.authenticatorData),
      signature: toBase64url(response.signature),
      userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
    }),
  };
  return api<SessionView>('/passkeys/login', { method: 'POST', body });
}
