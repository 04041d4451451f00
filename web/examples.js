// SPDX-License-Identifier: MIT
// Example inputs offered by the page's "Try an example" buttons. These are
// inputs only — the texts people paste — written with documentation
// addresses (RFC 5737) and reserved names (RFC 2606). What they mean comes
// from the engine's report, never from here.

export const EXAMPLES = Object.freeze([
  {
    id: 'spamhaus',
    label: 'Blocklisted IP',
    text: '554 5.7.1 : Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org',
  },
  {
    id: 'gmail',
    label: 'Gmail: IP not authorized',
    text: [
      "550-5.7.1 [198.51.100.23] The IP you're using to send mail is not authorized",
      '550-5.7.1 to send email directly to our servers. Please use the SMTP relay at',
      '550 5.7.1 your service provider instead.',
    ].join('\n'),
  },
  {
    id: 'not-authorized',
    label: 'Delivery not authorized',
    text: '554 5.7.1 Delivery not authorized',
  },
  {
    id: 'relay',
    label: 'Relay access denied',
    text: '554 5.7.1 : Relay access denied',
  },
  {
    id: 'exchange',
    label: 'Exchange 571',
    text: "Remote Server returned '571 Delivery not authorized, message refused'",
  },
  {
    id: 'spam',
    label: 'Spam rejection',
    text: '554 5.7.1 : Message cannot be accepted, spam rejection',
  },
  {
    id: 'sender',
    label: 'Sender rejected',
    text: '554 5.7.1 : Sender address rejected: Access denied',
  },
  {
    id: 'dsn',
    label: 'Full bounce (DSN)',
    text: [
      'Return-Path: <>',
      'Received: from mx.example.net (mx.example.net [192.0.2.25])',
      '\tby mail.example.com (Postfix) with ESMTP id 4F2A81C0042',
      '\tfor <alice@example.com>; Tue, 14 Nov 2023 09:12:44 +0000 (UTC)',
      'From: MAILER-DAEMON@mail.example.com (Mail Delivery System)',
      'To: alice@example.com',
      'Subject: Undelivered Mail Returned to Sender',
      'Date: Tue, 14 Nov 2023 09:12:44 +0000 (UTC)',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status;',
      '\tboundary="4F2A81C0042.1699953164/mail.example.com"',
      '',
      '--4F2A81C0042.1699953164/mail.example.com',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'I\'m sorry to have to inform you that your message could not',
      'be delivered to one or more recipients.',
      '',
      '<bob@example.org>: host mx.example.org[198.51.100.7] said: 554 5.7.1',
      '    Service unavailable; Client host [203.0.113.5] blocked using',
      '    zen.spamhaus.org (in reply to RCPT TO command)',
      '',
      '--4F2A81C0042.1699953164/mail.example.com',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mail.example.com',
      'Arrival-Date: Tue, 14 Nov 2023 09:12:40 +0000 (UTC)',
      '',
      'Final-Recipient: rfc822; bob@example.org',
      'Action: failed',
      'Status: 5.7.1',
      'Remote-MTA: dns; mx.example.org',
      'Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host',
      '    [203.0.113.5] blocked using zen.spamhaus.org',
      '',
      '--4F2A81C0042.1699953164/mail.example.com--',
      '',
    ].join('\n'),
  },
]);
