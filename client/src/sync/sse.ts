import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One message of a text/event-stream. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/**
 * A text/event-stream fed chunk by chunk, parsed as the HTML spec says (fields, comments,
 * CRLF, multi-line data) by `eventsource-parser`; this only hands the messages back as a
 * list, with the last id carried over to later messages and the type defaulting to
 * `message`, as EventSource does. A fetch-based reader, rather than EventSource, because it
 * sees the HTTP status: a 404 means "no events endpoint yet, poll instead".
 */
export class SseParser {
  private lastId: string | null = null;
  private out: SseMessage[] = [];
  private readonly parser: EventSourceParser = createParser({
    onId: (id) => (this.lastId = id),
    onEvent: (message) => this.out.push({ id: this.lastId, event: message.event ?? 'message', data: message.data }),
  });

  push(chunk: string): SseMessage[] {
    this.parser.feed(chunk);
    const messages = this.out;
    this.out = [];
    return messages;
  }
}
