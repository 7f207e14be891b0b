import type { MailWords } from './words.ts';

/**
 * The words of readers' mails (confirmation and replies) in the widget's languages. Owners' mails stay in English:
 * the dashboard is English. A word left out falls back to English.
 */
export const MAIL_TRANSLATIONS: Record<string, Partial<MailWords>> = {
  fr: {
    confirmSubject: 'Confirmez les réponses par e-mail sur {site}',
    confirmIntro:
      'Quelqu’un, vous sans doute, a demandé à recevoir un e-mail quand on répond à son commentaire sur {page}. ' +
      'Confirmez ci-dessous pour commencer. Si ce n’était pas vous, ignorez cet e-mail : rien d’autre ne viendra.',
    confirmButton: 'Oui, envoyez-moi les réponses',
    replySubjectOne: '{name} a répondu à votre commentaire',
    replySubjectMany: '{count} nouvelles réponses à vos commentaires',
    replyIntro: '{name} a répondu sur {page} :',
    unsubscribeText:
      'Vous recevez ces e-mails parce que vous les avez demandés. Pour tous les arrêter : {url}',
    unsubscribeButton: 'Arrêter ces e-mails',
    anonymous: 'Anonyme',
  },
  de: {
    confirmSubject: 'Antworten per E-Mail auf {site} bestätigen',
    confirmIntro:
      'Jemand, hoffentlich Sie, möchte eine E-Mail bekommen, wenn jemand auf seinen Kommentar auf {page} antwortet. ' +
      'Bestätigen Sie unten, um zu beginnen. Waren Sie es nicht, ignorieren Sie diese E-Mail: Es kommt nichts mehr.',
    confirmButton: 'Ja, Antworten per E-Mail',
    replySubjectOne: '{name} hat auf Ihren Kommentar geantwortet',
    replySubjectMany: '{count} neue Antworten auf Ihre Kommentare',
    replyIntro: '{name} hat auf {page} geantwortet:',
    unsubscribeText: 'Sie erhalten diese E-Mails, weil Sie sie angefordert haben. Alle abbestellen: {url}',
    unsubscribeButton: 'Diese E-Mails abbestellen',
    anonymous: 'Anonym',
  },
  es: {
    confirmSubject: 'Confirma las respuestas por correo en {site}',
    confirmIntro:
      'Alguien, esperamos que tú, pidió recibir un correo cuando respondan a su comentario en {page}. Confirma abajo ' +
      'para empezar. Si no fuiste tú, ignora este correo: no llegará nada más.',
    confirmButton: 'Sí, envíame las respuestas',
    replySubjectOne: '{name} respondió a tu comentario',
    replySubjectMany: '{count} respuestas nuevas a tus comentarios',
    replyIntro: '{name} respondió en {page}:',
    unsubscribeText: 'Recibes estos correos porque los pediste. Para dejar de recibirlos: {url}',
    unsubscribeButton: 'Dejar de recibir estos correos',
    anonymous: 'Anónimo',
  },
  it: {
    confirmSubject: 'Conferma le risposte via email su {site}',
    confirmIntro:
      'Qualcuno, speriamo tu, ha chiesto di ricevere un’email quando qualcuno risponde al suo commento su {page}. ' +
      'Conferma qui sotto per iniziare. Se non sei stato tu, ignora questa email: non arriverà altro.',
    confirmButton: 'Sì, inviami le risposte',
    replySubjectOne: '{name} ha risposto al tuo commento',
    replySubjectMany: '{count} nuove risposte ai tuoi commenti',
    replyIntro: '{name} ha risposto su {page}:',
    unsubscribeText: 'Ricevi queste email perché le hai chieste. Per interromperle tutte: {url}',
    unsubscribeButton: 'Interrompi queste email',
    anonymous: 'Anonimo',
  },
  pt: {
    confirmSubject: 'Confirme as respostas por e-mail em {site}',
    confirmIntro:
      'Alguém, esperamos que você, pediu para receber um e-mail quando responderem ao seu comentário em {page}. ' +
      'Confirme abaixo para começar. Se não foi você, ignore este e-mail: não chegará mais nada.',
    confirmButton: 'Sim, envie-me as respostas',
    replySubjectOne: '{name} respondeu ao seu comentário',
    replySubjectMany: '{count} novas respostas aos seus comentários',
    replyIntro: '{name} respondeu em {page}:',
    unsubscribeText: 'Você recebe estes e-mails porque os pediu. Para parar todos: {url}',
    unsubscribeButton: 'Parar estes e-mails',
    anonymous: 'Anônimo',
  },
  nl: {
    confirmSubject: 'Bevestig reacties per e-mail op {site}',
    confirmIntro:
      'Iemand, hopelijk u, vroeg om een e-mail wanneer iemand reageert op zijn of haar reactie op {page}. Bevestig ' +
      'hieronder om te beginnen. Was u het niet, negeer dan deze e-mail: er komt niets meer.',
    confirmButton: 'Ja, mail mij reacties',
    replySubjectOne: '{name} reageerde op uw reactie',
    replySubjectMany: '{count} nieuwe reacties op uw reacties',
    replyIntro: '{name} reageerde op {page}:',
    unsubscribeText: 'U krijgt deze e-mails omdat u erom vroeg. Om ze allemaal te stoppen: {url}',
    unsubscribeButton: 'Stop deze e-mails',
    anonymous: 'Anoniem',
  },
  pl: {
    confirmSubject: 'Potwierdź odpowiedzi e-mailem na {site}',
    confirmIntro:
      'Ktoś, miejmy nadzieję, że Ty, poprosił o e-mail, gdy ktoś odpowie na jego komentarz na {page}. Potwierdź ' +
      'poniżej, aby zacząć. Jeśli to nie Ty, zignoruj tę wiadomość: nic więcej nie przyjdzie.',
    confirmButton: 'Tak, wysyłaj mi odpowiedzi',
    replySubjectOne: '{name} odpowiedział(a) na Twój komentarz',
    replySubjectMany: 'Nowe odpowiedzi na Twoje komentarze: {count}',
    replyIntro: '{name} odpowiedział(a) na {page}:',
    unsubscribeText: 'Dostajesz te wiadomości, bo o nie poprosiłeś(-aś). Aby zatrzymać wszystkie: {url}',
    unsubscribeButton: 'Zatrzymaj te wiadomości',
    anonymous: 'Anonim',
  },
  ru: {
    confirmSubject: 'Подтвердите ответы по почте на {site}',
    confirmIntro:
      'Кто-то, надеемся, вы, попросил присылать письмо, когда отвечают на его комментарий на {page}. Подтвердите ' +
      'ниже, чтобы начать. Если это были не вы, не обращайте внимания на это письмо: больше ничего не придёт.',
    confirmButton: 'Да, присылайте ответы',
    replySubjectOne: '{name} ответил(а) на ваш комментарий',
    replySubjectMany: 'Новых ответов на ваши комментарии: {count}',
    replyIntro: '{name} ответил(а) на {page}:',
    unsubscribeText: 'Вы получаете эти письма, потому что просили о них. Чтобы отписаться от всех: {url}',
    unsubscribeButton: 'Отписаться от этих писем',
    anonymous: 'Аноним',
  },
  ja: {
    confirmSubject: '{site} の返信メールを確認してください',
    confirmIntro:
      '{page} のコメントに返信があったときにメールを受け取るよう、どなたか(おそらくあなた)が申し込みました。' +
      '下のボタンで確認すると始まります。心当たりがない場合はこのメールを無視してください。これ以上は届きません。',
    confirmButton: 'はい、返信をメールで受け取る',
    replySubjectOne: '{name} さんがあなたのコメントに返信しました',
    replySubjectMany: 'あなたのコメントへの新しい返信が {count} 件あります',
    replyIntro: '{name} さんが {page} で返信しました:',
    unsubscribeText: 'このメールはご希望により送信しています。すべて停止するには: {url}',
    unsubscribeButton: 'このメールを停止する',
    anonymous: '匿名',
  },
  zh: {
    confirmSubject: '确认在 {site} 上通过邮件接收回复',
    confirmIntro:
      '有人(希望是你)请求在 {page} 上的评论有回复时收到邮件。请点击下方按钮确认以开始。如果不是你,请忽略此邮件,' +
      '之后不会再收到任何邮件。',
    confirmButton: '是的,用邮件通知我回复',
    replySubjectOne: '{name} 回复了你的评论',
    replySubjectMany: '你的评论有 {count} 条新回复',
    replyIntro: '{name} 在 {page} 上回复:',
    unsubscribeText: '你收到这些邮件是因为你订阅了它们。要全部停止:{url}',
    unsubscribeButton: '停止这些邮件',
    anonymous: '匿名',
  },
  ar: {
    confirmSubject: 'أكِّد تلقي الردود بالبريد على {site}',
    confirmIntro:
      'طلب أحدهم، ونأمل أنك أنت، أن يصله بريد عندما يرد أحد على تعليقه في {page}. أكِّد أدناه للبدء. ' +
      'إن لم تكن أنت، فتجاهل هذه الرسالة: لن يصلك شيء بعدها.',
    confirmButton: 'نعم، راسلني بالردود',
    replySubjectOne: 'ردّ {name} على تعليقك',
    replySubjectMany: 'ردود جديدة على تعليقاتك: {count}',
    replyIntro: 'ردّ {name} في {page}:',
    unsubscribeText: 'تصلك هذه الرسائل لأنك طلبتها. لإيقافها كلها: {url}',
    unsubscribeButton: 'أوقف هذه الرسائل',
    anonymous: 'مجهول',
  },
  he: {
    confirmSubject: 'אישור קבלת תגובות בדוא״ל ב־{site}',
    confirmIntro:
      'מישהו, כנראה את או אתה, ביקש לקבל דוא״ל כשמגיבים לתגובה שלו ב־{page}. אשרו למטה כדי להתחיל. ' +
      'אם לא אתם ביקשתם, התעלמו מהודעה זו: לא יגיע דבר נוסף.',
    confirmButton: 'כן, שלחו לי תגובות',
    replySubjectOne: '{name} הגיב/ה לתגובה שלך',
    replySubjectMany: 'תגובות חדשות לתגובות שלך: {count}',
    replyIntro: '{name} הגיב/ה ב־{page}:',
    unsubscribeText: 'הודעות אלה נשלחות כי ביקשת אותן. להפסקת כולן: {url}',
    unsubscribeButton: 'הפסקת ההודעות האלה',
    anonymous: 'אנונימי',
  },
};
