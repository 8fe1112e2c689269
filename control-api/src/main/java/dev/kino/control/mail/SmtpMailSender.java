package dev.kino.control.mail;

import dev.kino.common.config.KinoConfig;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends mail through the provider's SMTP server ({@code mail.smtp.*}) with Jakarta Mail (Eclipse Angus): one
 * connection per mail, plain text with an HTML alternative in which the links are clickable.
 *
 * <ul>
 *   <li>Security: {@code starttls} requires STARTTLS (no silent fallback to plain text), {@code tls} speaks TLS
 *       from the first byte (SMTPS), {@code none} is plain. With TLS the server's certificate is checked against
 *       the JDK's trust store and its name against {@code mail.smtp.host}.</li>
 *   <li>Connect, read and write are bounded by {@code mail.smtp.timeout}.</li>
 *   <li>Nothing secret is logged: Jakarta Mail's debug output (which shows AUTH and bodies) is never enabled,
 *       and this class logs only the kind and the masked recipient; exceptions carry server replies, not
 *       bodies or credentials.</li>
 *   <li>A refused recipient (5xx to {@code RCPT TO}) or an unparsable address is a
 *       {@link MailSender.PermanentFailure}; anything else (unreachable, timeout, 4xx, failed login) is
 *       retried by the {@link Outbox}.</li>
 * </ul>
 */
public final class SmtpMailSender implements MailSender {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpMailSender.class);
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+");

    private final KinoConfig.Smtp smtp;
    private final String protocol;
    private final Session session;
    private final InternetAddress from;

    /** Sender over the configured server, trusting the JDK's certificate authorities. */
    public SmtpMailSender(KinoConfig.Mail mail) {
        this(mail, null);
    }

    /**
     * @param mail the {@code mail} configuration; {@code mail.smtp.host} must be set
     * @param sslSocketFactory TLS sockets to use instead of the default ones (e.g. trusting a private CA), or null;
     *                         the server's name is checked either way
     */
    public SmtpMailSender(KinoConfig.Mail mail, SSLSocketFactory sslSocketFactory) {
        this.smtp = Objects.requireNonNull(mail.smtp());
        if (!smtp.configured()) {
            throw new IllegalArgumentException("mail.smtp.host is empty");
        }
        try {
            this.from = new InternetAddress(mail.from(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("mail.from is not an address: " + e.getMessage(), e);
        }
        this.protocol = "tls".equals(smtp.security()) ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        props.put(p + "host", smtp.host());
        props.put(p + "port", String.valueOf(smtp.port()));
        String timeout = String.valueOf(smtp.timeout().toMillis());
        props.put(p + "connectiontimeout", timeout);
        props.put(p + "timeout", timeout);
        props.put(p + "writetimeout", timeout);
        props.put(p + "auth", String.valueOf(smtp.authenticated()));
        props.put(p + "from", from.getAddress());  // envelope sender
        switch (smtp.security()) {
            case "starttls" -> {
                props.put(p + "starttls.enable", "true");
                props.put(p + "starttls.required", "true");
                props.put(p + "ssl.checkserveridentity", "true");
            }
            case "tls" -> {
                props.put(p + "ssl.enable", "true");
                props.put(p + "ssl.checkserveridentity", "true");
            }
            default -> {
                // plain text: only towards a relay on a trusted network
            }
        }
        if (sslSocketFactory != null) {
            props.put(p + "ssl.socketFactory", sslSocketFactory);
        }
        this.session = Session.getInstance(props);
        this.session.setDebug(false);
        if (!smtp.encrypted() && smtp.authenticated()) {
            LOG.warn("mail.smtp.security is none: the SMTP password crosses the network in clear text");
        }
    }

    /** @return e.g. {@code SMTP smtp.example.com:587 (starttls, AUTH as apikey)}, without the password */
    public String description() {
        return "SMTP " + smtp.host() + ":" + smtp.port() + " (" + smtp.security()
                + (smtp.authenticated() ? ", AUTH as " + smtp.user() : ", no AUTH") + ")";
    }

    @Override
    public void send(Mail mail) {
        MimeMessage message;
        try {
            message = message(mail);
        } catch (AddressException e) {
            throw new PermanentFailure("recipient is not an address: " + e.getMessage(), e);
        } catch (MessagingException e) {
            throw new PermanentFailure("mail cannot be built: " + e.getMessage(), e);
        }
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(smtp.host(), smtp.port(), smtp.authenticated() ? smtp.user() : null,
                    smtp.authenticated() ? smtp.password().reveal() : null);
            transport.sendMessage(message, message.getAllRecipients());
        } catch (SendFailedException e) {
            if (refusedForGood(e)) {
                throw new PermanentFailure("SMTP " + smtp.host() + " refused the recipient: " + e.getMessage(), e);
            }
            throw new IllegalStateException("SMTP " + smtp.host() + ":" + smtp.port() + ": " + e.getMessage(), e);
        } catch (MessagingException e) {
            throw new IllegalStateException("SMTP " + smtp.host() + ":" + smtp.port() + ": " + e.getMessage(), e);
        }
        LOG.info("mail '{}' to {} handed to {}:{}", mail.kind(), LogMailSender.mask(mail.recipient()), smtp.host(), smtp.port());
    }

    private MimeMessage message(Mail mail) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(from);
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.recipient(), true));
        m.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        m.setSentDate(new Date());
        m.setHeader("Auto-Submitted", "auto-generated");
        for (var e : mail.headers().entrySet()) {
            m.setHeader(e.getKey(), e.getValue());
        }
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.body(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html() != null ? mail.html() : html(mail), StandardCharsets.UTF_8.name(), "html");
        m.setContent(new MimeMultipart("alternative", text, html));
        return m;
    }

    /** The plain body as HTML: escaped, paragraphs kept, links clickable. */
    static String html(Mail mail) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(escape(mail.subject())).append("</title></head><body>");
        for (String paragraph : mail.body().split("\n\\s*\n")) {
            sb.append("<p>");
            Matcher m = LINK.matcher(paragraph);
            int at = 0;
            while (m.find()) {
                sb.append(escape(paragraph.substring(at, m.start())).replace("\n", "<br>"));
                String url = escape(m.group());
                sb.append("<a href=\"").append(url).append("\">").append(url).append("</a>");
                at = m.end();
            }
            sb.append(escape(paragraph.substring(at)).replace("\n", "<br>")).append("</p>");
        }
        return sb.append("</body></html>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** @return true when the server refused a recipient with a permanent (5xx) reply */
    private static boolean refusedForGood(SendFailedException e) {
        Address[] invalid = e.getInvalidAddresses();
        if (invalid == null || invalid.length == 0) {
            return false;
        }
        for (Exception next = e.getNextException(); next != null;
             next = next instanceof MessagingException me ? me.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException f && f.getReturnCode() >= 500) {
                return true;
            }
        }
        return false;
    }
}
