import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { sha256 } from '@opencar/core';
import { AccountsRepo, MailRepo } from '@opencar/storage';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient } from './browser-client.js';

type T = Awaited<ReturnType<typeof testApp>>;
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';
const SAME_ANSWER = 'If an account exists for that e-mail, a reset link is on its way.';

async function signUp(t: T, email = 'dev@example.com'): Promise<FormClient> {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signup');
  const res = await c.post('/dashboard/signup', { name: 'Dev', email, password: PASSWORD, accept_tos: 'on' });
  expect(res.statusCode).toBe(303);
  return c;
}

async function requestReset(t: T, email: string, ip = '127.0.0.1') {
  const c = new FormClient(t.app, {}, ip);
  const page = await c.get('/dashboard/forgot');
  expect(page.statusCode).toBe(200);
  return c.post('/dashboard/forgot', { email });
}

const outbox = (t: T) => new MailRepo(t.platform.storage.db).list(100);
const linkIn = (text: string) => /http:\/\/opencar\.test(\/dashboard\/reset\?token=[\w%-]+)/.exec(text)?.[1];

async function signIn(t: T, email: string, password: string) {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signin');
  return c.post('/dashboard/signin', { email, password });
}

describe('developer password reset (outbox, no mail server)', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('the sign-in page links to the request form; a reset link sets a new password once and ends other sessions', async () => {
    const other = await signUp(t);
    expect((await other.get('/dashboard')).statusCode).toBe(200);
    const signin = await new FormClient(t.app).get('/dashboard/signin');
    expect(signin.body).toContain('href="/dashboard/forgot"');
    const res = await requestReset(t, 'Dev@Example.com');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(SAME_ANSWER);
    const [mail, ...rest] = await outbox(t);
    expect(rest).toHaveLength(0);
    expect(mail).toMatchObject({ to_address: 'dev@example.com', subject: 'Reset your opencar password', sent_at: null, error: null });
    const link = linkIn(mail!.body_text)!;
    expect(link).toBeDefined();
    // Only the token's hash is stored.
    const token = decodeURIComponent(new URL(link, 'http://x').searchParams.get('token')!);
    const rows = await t.platform.storage.db.selectFrom('password_resets').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const c = new FormClient(t.app);
    const form = await c.get(link);
    expect(form.statusCode).toBe(200);
    expect(form.headers['referrer-policy']).toBe('same-origin'); // the token in the URL never leaves the site
    expect(form.body).toContain('Set a new password');
    const short = await c.post('/dashboard/reset', { token, password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Use at least 10 characters.');
    const done = await c.post('/dashboard/reset', { token, password: NEW_PASSWORD });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/dashboard/signin?reset=1');
    expect((await c.get('/dashboard/signin?reset=1')).body).toContain('Your password was changed');

    expect((await other.get('/dashboard')).statusCode).toBe(303); // the other session ended
    expect((await signIn(t, 'dev@example.com', PASSWORD)).statusCode).toBe(401);
    expect((await signIn(t, 'dev@example.com', NEW_PASSWORD)).statusCode).toBe(303);

    // Reuse: the link is spent.
    const again = await new FormClient(t.app).get(link);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This reset link was already used.');
    const c2 = new FormClient(t.app);
    await c2.get('/dashboard/forgot');
    const reused = await c2.post('/dashboard/reset', { token, password: 'yet another passphrase' });
    expect(reused.statusCode).toBe(400);
    expect(reused.body).toContain('This reset link was already used.');
    expect((await signIn(t, 'dev@example.com', NEW_PASSWORD)).statusCode).toBe(303);
  });

  it('a link expires after 30 minutes and then changes nothing', async () => {
    await signUp(t);
    await requestReset(t, 'dev@example.com');
    const link = linkIn((await outbox(t))[0]!.body_text)!;
    const token = decodeURIComponent(new URL(link, 'http://x').searchParams.get('token')!);
    t.clock.advance(29 * 60_000);
    expect((await new FormClient(t.app).get(link)).statusCode).toBe(200);
    t.clock.advance(60_000);
    const expired = await new FormClient(t.app).get(link);
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain('This reset link has expired.');
    const c = new FormClient(t.app);
    await c.get('/dashboard/forgot');
    const post = await c.post('/dashboard/reset', { token, password: NEW_PASSWORD });
    expect(post.statusCode).toBe(400);
    expect(post.body).toContain('This reset link has expired.');
    expect((await signIn(t, 'dev@example.com', PASSWORD)).statusCode).toBe(303);
  });

  it('a wrong or missing token is refused and changes nothing', async () => {
    const dev = await signUp(t);
    await requestReset(t, 'dev@example.com');
    for (const url of ['/dashboard/reset?token=not-a-token', '/dashboard/reset']) {
      const res = await new FormClient(t.app).get(url);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('This reset link is not valid.');
      expect(res.body).toContain('href="/dashboard/forgot"');
    }
    const c = new FormClient(t.app);
    await c.get('/dashboard/forgot');
    const post = await c.post('/dashboard/reset', { token: 'x'.repeat(43), password: NEW_PASSWORD });
    expect(post.statusCode).toBe(400);
    expect(post.body).toContain('This reset link is not valid.');
    expect((await dev.get('/dashboard')).statusCode).toBe(200);
    expect((await signIn(t, 'dev@example.com', PASSWORD)).statusCode).toBe(303);
  });

  it('answers the same for unknown and terminated accounts, and mails nothing', async () => {
    await signUp(t);
    await new AccountsRepo(t.platform.storage.db).createDeveloper({ id: 'gone', email: 'gone@example.com', password_hash: null, name: 'Gone', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'terminated', created_at: 0 });
    const known = await requestReset(t, 'dev@example.com', '127.0.0.11');
    const unknown = await requestReset(t, 'nobody@example.com', '127.0.0.12');
    const terminated = await requestReset(t, 'gone@example.com', '127.0.0.13');
    const strip = (b: string) => b.replace(/name="_csrf" value="[^"]+"/g, '').replace(/<code>[^<]*<\/code>/g, '');
    for (const r of [unknown, terminated]) {
      expect(r.statusCode).toBe(known.statusCode);
      expect(strip(r.body)).toBe(strip(known.body));
    }
    expect((await outbox(t)).map((m) => m.to_address)).toEqual(['dev@example.com']);
  });

  it('throttles requests per e-mail address (3) and per client address (10) in 15 minutes, whether or not the account exists', async () => {
    await signUp(t);
    for (const email of ['dev@example.com', 'nobody@example.com']) {
      for (let i = 0; i < 3; i++) expect((await requestReset(t, email, '127.1.0.1')).statusCode).toBe(200);
      const locked = await requestReset(t, email, '127.1.0.1');
      expect(locked.statusCode).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(locked.body).toContain('Too many reset requests.');
    }
    expect((await outbox(t)).length).toBe(3);
    // Ten requests from one address for different e-mails, then that address is held.
    for (let i = 0; i < 10; i++) expect((await requestReset(t, `someone${i}@example.com`, '127.2.0.1')).statusCode).toBe(200);
    expect((await requestReset(t, 'someone-else@example.com', '127.2.0.1')).statusCode).toBe(429);
    expect((await requestReset(t, 'someone-else@example.com', '127.2.0.2')).statusCode).toBe(200);
    t.clock.advance(15 * 60_000 + 1);
    expect((await requestReset(t, 'dev@example.com', '127.1.0.1')).statusCode).toBe(200);
    expect((await outbox(t)).length).toBe(4);
  });
});

describe('developer password reset over SMTP', () => {
  let t: T;
  let smtp: SMTPServer;
  const received: { from: string; to: string[]; raw: string }[] = [];
  let arrived: () => void = () => undefined;

  beforeEach(async () => {
    received.length = 0;
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          done();
          arrived();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as { port: number }).port;
    t = await testApp({ OPENCAR_SMTP_URL: `smtp://127.0.0.1:${port}`, OPENCAR_MAIL_FROM: 'opencar <no-reply@opencar.test>' });
  });
  afterEach(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it('mails the link through the SMTP server, records it as sent, and the link works', async () => {
    await signUp(t);
    const got = new Promise<void>((resolve) => { arrived = resolve; });
    const res = await requestReset(t, 'dev@example.com');
    expect(res.body).toContain(SAME_ANSWER);
    await got;
    expect(received).toHaveLength(1);
    expect(received[0]!.from).toBe('no-reply@opencar.test');
    expect(received[0]!.to).toEqual(['dev@example.com']);
    const parsed = await simpleParser(received[0]!.raw);
    expect(parsed.subject).toBe('Reset your opencar password');
    const link = linkIn(parsed.text ?? '')!;
    expect(link).toBeDefined();
    const c = new FormClient(t.app);
    expect((await c.get(link)).statusCode).toBe(200);
    const token = decodeURIComponent(new URL(link, 'http://x').searchParams.get('token')!);
    expect((await c.post('/dashboard/reset', { token, password: NEW_PASSWORD })).statusCode).toBe(303);
    expect((await signIn(t, 'dev@example.com', NEW_PASSWORD)).statusCode).toBe(303);
    await t.app.close(); // waits for the outbox row to record the delivery
    const [row] = await outbox(t);
    expect(row!.sent_at).toBe(t.clock.now());
    expect(row!.error).toBeNull();
  });

  it('the mail is written in the language of the page that asked for it', async () => {
    await signUp(t);
    const got = new Promise<void>((resolve) => { arrived = resolve; });
    const c = new FormClient(t.app);
    await c.get('/dashboard/forgot?lang=de');
    const res = await c.post('/dashboard/forgot', { email: 'dev@example.com' });
    expect(res.body).toContain('Falls zu dieser E-Mail ein Konto besteht');
    await got;
    const parsed = await simpleParser(received[0]!.raw);
    expect(parsed.subject).toBe('Ihr opencar-Passwort zurücksetzen');
    expect(linkIn(parsed.text ?? '')).toBeDefined();
  });
});
