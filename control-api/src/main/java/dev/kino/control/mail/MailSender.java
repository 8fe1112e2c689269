package dev.kino.control.mail;

/** Delivers mail; SMTP or a provider's API plug in here. Called from the outbox dispatcher's thread. */
@FunctionalInterface
public interface MailSender {
    /**
     * @throws PermanentFailure when the mail can never be delivered (the recipient is refused): not retried
     * @throws RuntimeException when delivery failed for now (server unreachable, timeout, 4xx); the outbox retries
     *                          later with back-off
     */
    void send(Mail mail);

    /** A mail that retrying cannot deliver, e.g. a recipient address the server refuses with a 5xx reply. */
    final class PermanentFailure extends RuntimeException {
        public PermanentFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
