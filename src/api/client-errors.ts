import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorRepresentation, ERRORS, type ErrorLabel } from '../errors';
import { logger } from '../log';

/** Node's own answers to requests it cannot parse, as error representations (SPEC.md §2: every error body is one). */
const ANSWERS: Record<string, { label: ErrorLabel; reason: string; description: string }> = {
  HPE_HEADER_OVERFLOW: { label: 'HEADERS_TOO_LARGE', reason: 'Request Header Fields Too Large', description: 'The request line and headers are larger than the server accepts' },
};
const NOT_HTTP = { label: 'VALIDATION_ERROR' as const, reason: 'Bad Request', description: 'The request is not valid HTTP/1.1' };

/**
 * Without this, Node closes a request it cannot parse (a URL with a 20 KB filter, a malformed request line) with a
 * status line and an empty body. A connection reset or a socket already answering is simply closed, as Node does.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = (err.code && ANSWERS[err.code]) || NOT_HTTP;
    const rep = errorRepresentation(answer.label, answer.description, { cause: err.code ?? err.message });
    logger.info({ logTrackingId: rep.logTrackingId, status: ERRORS[answer.label].status, cause: rep.properties.cause }, 'request refused before routing');
    const body = JSON.stringify(rep);
    socket.end(
      `HTTP/1.1 ${ERRORS[answer.label].status} ${answer.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
