/*
 * A passkey authenticator in software, written from the WebAuthn spec rather than with the server's library, so
 * the two cannot share a mistake: an ES256 key from WebCrypto, `none` attestation, resident credentials that
 * remember their user handle, and a signature counter. https://w3c.github.io/webauthn/#sctn-authenticator-data
 */

import type { webcrypto } from 'node:crypto';

type KeyPair = webcrypto.CryptoKeyPair;
const encoder = new TextEncoder();

export const toBase64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

export const fromBase64url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

const sha256 = async (data: Uint8Array) => new Uint8Array(await crypto.subtle.digest('SHA-256', data));

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

/** The CBOR subset WebAuthn needs (RFC 8949): integers, byte and text strings, maps. */
function cbor(value: Cbor): Uint8Array {
  const head = (major: number, n: number) => {
    if (n < 24) return Uint8Array.of((major << 5) | n);
    if (n < 256) return Uint8Array.of((major << 5) | 24, n);
    return Uint8Array.of((major << 5) | 25, n >> 8, n & 255);
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = encoder.encode(value);
    return concat(head(3, bytes.length), bytes);
  }
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  return concat(head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)]));
}

/** WebCrypto signs ECDSA as r‖s; WebAuthn wants the ASN.1 DER SEQUENCE of two INTEGERs. */
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    let body = bytes.slice(start);
    if ((body[0] ?? 0) & 0x80) body = concat(Uint8Array.of(0), body);
    return concat(Uint8Array.of(0x02, body.length), body);
  };
  const sequence = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)));
  return concat(Uint8Array.of(0x30, sequence.length), sequence);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

interface Credential {
  id: Uint8Array;
  keys: KeyPair;
  rpId: string;
  userHandle: string;
  counter: number;
}

export interface CreationOptions {
  challenge: string;
  rp: { id: string };
  user: { id: string };
  excludeCredentials?: Array<{ id: string }>;
}

export interface RequestOptions {
  challenge: string;
  rpId: string;
}

/** What a test may bend to see the server refuse it. */
export interface Tweaks {
  origin?: string;
  challenge?: string;
  userVerified?: boolean;
  /** Sets the counter the next assertion reports. */
  counter?: number;
}

export class SoftwareAuthenticator {
  readonly credentials: Credential[] = [];

  constructor(private readonly origin: string) {}

  private clientData(type: string, challenge: string, tweaks: Tweaks) {
    const json = JSON.stringify({
      type,
      challenge,
      origin: tweaks.origin ?? this.origin,
      crossOrigin: false,
    });
    return encoder.encode(json);
  }

  /** Like `navigator.credentials.create()` then `toJSON()`: makes a resident ES256 credential. */
  async create(options: CreationOptions, tweaks: Tweaks = {}) {
    const excluded = new Set(options.excludeCredentials?.map((c) => c.id));
    if (this.credentials.some((c) => excluded.has(toBase64url(c.id)))) {
      throw new Error('InvalidStateError: this authenticator already holds a credential for the account');
    }
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as KeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
    const credential: Credential = {
      id: crypto.getRandomValues(new Uint8Array(32)),
      keys,
      rpId: options.rp.id,
      userHandle: options.user.id,
      counter: 0,
    };
    const coseKey = cbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, fromBase64url(jwk.x ?? '')],
        [-3, fromBase64url(jwk.y ?? '')],
      ]),
    );
    const flags = FLAG_UP | FLAG_AT | (tweaks.userVerified === false ? 0 : FLAG_UV);
    const authData = concat(
      await sha256(encoder.encode(credential.rpId)),
      Uint8Array.of(flags, 0, 0, 0, 0),
      new Uint8Array(16), // AAGUID: none
      Uint8Array.of(credential.id.length >> 8, credential.id.length & 255),
      credential.id,
      coseKey,
    );
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    this.credentials.push(credential);
    const id = toBase64url(credential.id);
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: toBase64url(
          this.clientData('webauthn.create', tweaks.challenge ?? options.challenge, tweaks),
        ),
        attestationObject: toBase64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** Like `navigator.credentials.get()` with an empty allow-list: signs with the first credential for the RP. */
  async get(options: RequestOptions, tweaks: Tweaks = {}) {
    const credential = this.credentials.find((c) => c.rpId === options.rpId);
    if (!credential) throw new Error('NotAllowedError: no credential for this site');
    credential.counter = tweaks.counter ?? credential.counter + 1;
    const flags = FLAG_UP | (tweaks.userVerified === false ? 0 : FLAG_UV);
    const n = credential.counter;
    const authData = concat(
      await sha256(encoder.encode(credential.rpId)),
      Uint8Array.of(flags, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255),
    );
    const clientDataJSON = this.clientData('webauthn.get', tweaks.challenge ?? options.challenge, tweaks);
    const signed = concat(authData, await sha256(clientDataJSON));
    const raw = new Uint8Array(
      await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, credential.keys.privateKey, signed),
    );
    const id = toBase64url(credential.id);
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: toBase64url(clientDataJSON),
        authenticatorData: toBase64url(authData),
        signature: toBase64url(derSignature(raw)),
        userHandle: credential.userHandle,
      },
    };
  }
}
