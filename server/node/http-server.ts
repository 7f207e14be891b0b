import { createServer, type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { ErrorBody, ErrorCode } from '../../shared/errors.ts';

type Fetch = Parameters<typeof getRequestListener>[0];

const errorBody = (code: ErrorCode, message: string): ErrorBody => ({ error: { code, message } });

/**
 * Requests Node parses but the adapter cannot turn into a `Request` (a Host header that is missing or not a host,
 * a backslash in the path): 400 in the API's shape instead of the adapter's empty one.
 */
function answerRequestError(error: unknown): Response {
  if (error instanceof RequestError) {
    return Response.json(errorBody('bad_request', `The request is malformed: ${error.message}`), {
      status: 400,
    });
  }
  console.error('[parley]', error);
  return Response.json(errorBody('internal', 'Something went wrong on our side; try again'), { status: 500 });
}

/** Node's own answers to requests it cannot parse, in the API's shape; it would send them with no body. */
const CLIENT_ERRORS: Record<string, [status: number, code: ErrorCode, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'The request headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'payload_too_large', 'The chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request took too long to arrive'],
};

function answerClientError(error: NodeJS.ErrnoException, socket: Socket) {
  // A peer that went away, or a connection already answered: nothing can be sent (Node's clientError example).
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'bad_request',
    'The request is not valid HTTP',
  ];
  const body = JSON.stringify(errorBody(code, message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** What can keep a server from listening, in one line each; anything else is thrown as is. */
const LISTEN_ERRORS: Record<string, (port: number, host: string) => string> = {
  EADDRINUSE: (port) => `port ${port} is in use; set PORT to another port`,
  EACCES: (port) => `no permission to listen on port ${port}; set PORT to one above 1023`,
  EADDRNOTAVAIL: (_, host) => `${host} is not an address of this machine; set HOST to one that is`,
};

/**
 * The app on a Node HTTP server at `hostname:port`, answering every error in the API's JSON shape, Node's own
 * included. When the port cannot be had it says why in one line and exits with status 1.
 *
 * @example const server = await listen(app.fetch, { port: 8787, hostname: '127.0.0.1' });
 */
export function listen(
  fetch: Fetch,
  { port, hostname }: { port: number; hostname: string },
): Promise<Server> {
  const listener = getRequestListener(fetch, { hostname, errorHandler: answerRequestError });
  // Node refuses an HTTP/1.1 request without Host (RFC 9112 §3.2) with an empty 400; this one says why. HTTP/1.0
  // may omit it (old health checkers do), and the adapter then takes the listening address.
  const server = createServer({ requireHostHeader: false }, (request, response) => {
    if (request.headers.host === undefined && request.httpVersion !== '1.0') {
      const body = JSON.stringify(errorBody('bad_request', 'The request has no Host header'));
      const length = Buffer.byteLength(body);
      response.writeHead(400, {
        'Content-Type': 'application/json',
        'Content-Length': length,
        Connection: 'close',
      });
      response.end(body);
      return;
    }
    void listener(request, response);
  });
  server.on('clientError', answerClientError);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = LISTEN_ERRORS[error.code ?? '']?.(port, hostname);
      if (!reason) return reject(error);
      console.error(`[parley] ${reason}`);
      process.exit(1);
    });
    server.listen(port, hostname, () => resolve(server));
  });
}
