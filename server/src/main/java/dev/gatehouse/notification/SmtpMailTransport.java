package dev.gatehouse.notification;

import dev.gatehouse.jobs.PermanentJobFailure;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.util.Date;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Sends outbox mail to the SMTP server of {@code spring.mail.*}, as multipart/alternative text and HTML. */
class SmtpMailTransport implements MailTransport {

    private final JavaMailSenderImpl sender;
    private final InternetAddress from;
    private final String messageIdDomain;
    private final Clock clock;

    SmtpMailTransport(JavaMailSenderImpl sender, MailSettings settings, Clock clock) {
        this.sender = sender;
        try {
            this.from = new InternetAddress(settings.from(), /* strict= */ true);
        } catch (AddressException e) {
            throw new IllegalStateException("gatehouse.mail.from is not a valid address: " + settings.from(), e);
        }
        String address = from.getAddress();
        this.messageIdDomain = address.substring(address.indexOf('@') + 1);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public void deliver(Outgoing mail) throws MessagingException {
        MimeMessage message = new StableIdMessage(sender.getSession(), "<" + mail.id() + "@" + messageIdDomain + ">");
        message.setFrom(from);
        message.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(mail.to(), /* strict= */ true));
        message.setSubject(mail.subject(), "UTF-8");
        message.setSentDate(Date.from(clock.instant()));
        message.setHeader("Content-Language", mail.language());
        // RFC 3834: tells vacation responders and ticket systems not to answer.
        message.setHeader("Auto-Submitted", "auto-generated");
        message.setHeader("X-Gatehouse-Email-Id", mail.id().toString());

        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        // Plain text first: in multipart/alternative the last part a client can show is the preferred one.
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);

        try {
            sender.send(message);
        } catch (MailParseException | MailPreparationException e) {
            throw new PermanentJobFailure("The message cannot be built: " + e.getMessage(), e);
        } catch (MailSendException e) {
            if (everyRecipientRejected(e)) {
                throw new PermanentJobFailure("The SMTP server rejected the recipient: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public void checkConnection() throws MessagingException {
        sender.testConnection();
    }

    /**
     * A 5xx answer to RCPT TO puts the address among the invalid ones; a 4xx (mailbox busy, greylisting)
     * among the valid unsent ones. Only the first is worth giving up on.
     */
    private static boolean everyRecipientRejected(MailSendException e) {
        for (Exception cause : e.getMessageExceptions()) {
            if (cause instanceof SendFailedException failed
                    && isEmpty(failed.getValidSentAddresses())
                    && isEmpty(failed.getValidUnsentAddresses())
                    && !isEmpty(failed.getInvalidAddresses())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmpty(Object[] addresses) {
        return addresses == null || addresses.length == 0;
    }

    /**
     * A message whose {@code Message-ID} is derived from the email id, so every retry of one email carries
     * the same id and a receiving system can recognise a duplicate delivered after a crash.
     */
    private static final class StableIdMessage extends MimeMessage {
        private final String messageId;

        StableIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
