package dev.kino.control.mail;

/** Delivers mail; SMTP or a provider's API plug in here. Called from the outbox dispatcher's thread. */
@FunctionalInterface
public interface MailSender {
    /** @throws RuntimeException when delivery failed; the outbox retries later */
    void send(Mail mail);
}
