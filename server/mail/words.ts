/** The words of every mail in English, complete; other languages override what they translate. */
export const EN = {
  confirmSubject: 'Confirm replies by email on {site}',
  confirmIntro:
    'Someone, hopefully you, asked to get an email when people reply to their comment on {page}. Confirm below to ' +
    'start. If it was not you, ignore this email: nothing more will come.',
  confirmButton: 'Yes, email me replies',
  replySubjectOne: '{name} replied to your comment',
  replySubjectMany: '{count} new replies to your comments',
  replyIntro: '{name} replied on {page}:',
  unsubscribeText: 'You get these emails because you asked for them. To stop them all: {url}',
  unsubscribeButton: 'Stop these emails',
  anonymous: 'Anonymous',
  heldSubject: 'Held for moderation on {site}: {name}',
  newSubject: 'New comment on {site}: {name}',
  heldIntro: 'A comment on {page} waits for moderation.',
  newIntro: 'A new comment on {page}.',
  approve: 'Approve',
  spam: 'Spam',
  delete: 'Delete',
  linksNote: 'Each link asks once more before acting. Together they work once, for 7 days.',
  preferencesNote: 'Change what you are mailed about on the site’s page in the dashboard: {url}',
};

export type MailWords = typeof EN;
