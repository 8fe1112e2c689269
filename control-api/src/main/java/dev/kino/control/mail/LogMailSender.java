package dev.kino.control.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default sender when no mail service is configured: it logs, at INFO, that a mail of a kind was
 * sent to a (masked) recipient. Bodies carry single-use links, so they are logged only in development
 * mode ({@code devMode}): then the whole body, link included, is logged at INFO so a developer can
 * click through verification and password reset without a mail server. Never enable it in production.
 */
public final class LogMailSender implements MailSender {
    private static final Logger LOG = LoggerFactory.getLogger(LogMailSender.class);
    private final boolean devMode;

    public LogMailSender(boolean devMode) {
        this.devMode = devMode;
    }

    @Override
    public void send(Mail mail) {
        if (devMode) {
            LOG.info("[dev] mail '{}' to {}: {}\n{}", mail.kind(), mail.recipient(), mail.subject(), mail.body());
        } else {
            LOG.info("mail '{}' to {} not delivered: no mail service configured (log sender)", mail.kind(),
                    mask(mail.recipient()));
        }
    }

    /** @return {@code a***@example.com} */
    static String mask(String email) {
        int at = email.indexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }
}
