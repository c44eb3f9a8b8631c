import nodemailer, { type Transporter } from 'nodemailer';

/** SMTP through nodemailer; pooled so a burst of escalations reuses connections. */
export function createMailTransport(smtpUrl: string): Transporter {
  const url = new URL(smtpUrl);
  return nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A local catcher offers no TLS; a real relay negotiates STARTTLS when it advertises it.
    ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
    pool: true,
    maxConnections: 4,
    connectionTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
