import { createServer as createHttpServer, type Server } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMessage {
  id: number;
  messageId?: string;
  from?: string;
  to: string[];
  subject?: string;
  text?: string;
  html?: string;
  /** Calendar parts (text/calendar), e.g. a meeting invite: the iCalendar text of each. */
  calendars: string[];
  /** Every other attachment (inline images by their content id), its bytes in base64. */
  attachments: { filename?: string; contentType: string; cid?: string; inline: boolean; size: number; base64: string }[];
  receivedAt: string;
}

export interface RunningMailCatcher {
  smtpUrl: string;
  webUrl: string;
  messages(): CaughtMessage[];
  stop(): Promise<void>;
}

const escape = (s = '') => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A local SMTP catcher: real SMTP in (so nodemailer does real delivery), an inbox out over HTTP.
 * `GET /api/messages` (JSON), `DELETE /api/messages`, `GET /` (inbox page), `GET /messages/:id` (HTML body).
 * `inbox`: the array messages are kept in (one that outlives a stop, so a restarted catcher keeps its mail).
 */
export async function startMailCatcher(opts: { smtpPort: number; webPort: number; inbox?: CaughtMessage[] }): Promise<RunningMailCatcher> {
  // A catcher restarted on the same ports (a fault test's SMTP outage) is handed what it caught before.
  const inbox: CaughtMessage[] = opts.inbox ?? [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Its clients are on loopback: no DNS query for their hostname on every connection.
    disableReverseLookup: true,
    logger: false,
    size: 5 * 1024 * 1024,
    onData(stream, session, callback) {
      // cid: links kept as sent, so a test sees which inline image each <img> names.
      simpleParser(stream, { keepCidLinks: true }).then((mail) => {
        inbox.push({
          id: inbox.length + 1,
          messageId: mail.messageId,
          from: mail.from?.text,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject,
          text: mail.text,
          html: typeof mail.html === 'string' ? mail.html : undefined,
          calendars: mail.attachments.filter((a) => a.contentType.startsWith('text/calendar')).map((a) => a.content.toString('utf8')),
          attachments: mail.attachments.filter((a) => !a.contentType.startsWith('text/calendar')).map((a) => ({
            filename: a.filename, contentType: a.contentType, cid: a.cid, inline: a.contentDisposition === 'inline', size: a.size, base64: a.content.toString('base64'),
          })),
          receivedAt: new Date().toISOString(),
        });
        callback();
      }, (err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => { smtp.once('error', reject); smtp.listen(opts.smtpPort, '127.0.0.1', () => resolve()); });

  const web: Server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/messages' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(inbox));
    } else if (url.pathname === '/api/messages' && req.method === 'DELETE') {
      inbox.length = 0;
      res.writeHead(204).end();
    } else if (url.pathname.startsWith('/messages/')) {
      const message = inbox.find((m) => m.id === Number(url.pathname.split('/')[2]));
      if (!message) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(message.html ?? `<pre>${escape(message.text)}</pre>`);
    } else if (url.pathname === '/') {
      const rows = [...inbox].reverse().map((m) => `<tr><td>${escape(m.receivedAt)}</td><td>${escape(m.to.join(', '))}</td><td><a href="/messages/${m.id}">${escape(m.subject)}</a></td></tr>`).join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><meta http-equiv="refresh" content="5"><title>Local inbox</title><body style="font-family:Arial,sans-serif"><h1>Local inbox (${inbox.length})</h1><table cellpadding="6"><tr><th>Received</th><th>To</th><th>Subject</th></tr>${rows}</table></body>`,
      );
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => { web.once('error', reject); web.listen(opts.webPort, '127.0.0.1', () => resolve()); });

  return {
    smtpUrl: `smtp://127.0.0.1:${opts.smtpPort}?ignoreTLS=true`,
    webUrl: `http://127.0.0.1:${opts.webPort}`,
    messages: () => [...inbox],
    async stop() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
