package dev.kino.control.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.support.Http;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mail through a real SMTP server (GreenMail on 127.0.0.1) standing in for the provider: the control API chooses
 * {@link SmtpMailSender} from {@code mail.smtp.host} alone, and the links in the received mails work.
 *
 * <p>This node's clock stands in 2011, so its outbox sees only the mail it queues itself (other tests' mails in
 * the shared database are due later).
 */
class SmtpMailTest {
    private static final Pattern TOKEN = Pattern.compile("https?://[^\\s]+[?&]token=([A-Za-z0-9_-]+)");
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2011-06-01T00:00:00Z"));
    private static int port;
    private static SharedState state;
    private static ControlApi api;
    private static Http http;
    private static GreenMail smtp;

    @BeforeAll
    static void start() throws IOException {
        TestApi.api();
        port = freePort();
        KinoConfig config = SharedDatabase.config("mail.smtp.host=127.0.0.1", "mail.smtp.port=" + port,
                "mail.smtp.security=none", "mail.smtp.timeout=3s", "mail.from=Kino Test <no-reply@kino.test>");
        state = new InProcessSharedState(CLOCK);
        // no mailSender(...): the builder picks SMTP because mail.smtp.host is set
        api = ControlApi.builder(config, SecretStore.resolve(config), SharedDatabase.get(), state).clock(CLOCK)
                .passwordParams(PasswordHasher.Params.FAST_INSECURE).outboxInterval(Duration.ZERO).start();
        http = new Http(api.port());
        smtp = startSmtp();
    }

    private static GreenMail startSmtp() {
        GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    @AfterEach
    void purge() throws Exception {
        if (smtp == null || !smtp.isRunning()) {
            smtp = startSmtp();
        }
        smtp.purgeEmailFromAllMailboxes();
    }

    @AfterAll
    static void stop() {
        api.close();
        state.close();
        smtp.stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Http.Resp register(String name, String password) {
        return http.post("/api/v1/auth/register", null,
                Map.of("email", name + "@example.org", "username", name, "password", password));
    }

    /** @return the one mail received for {@code to} */
    private static MimeMessage received(GreenMail server, String to) throws Exception {
        assertTrue(server.waitForIncomingEmail(5000, 1));
        List<MimeMessage> mails = Arrays.stream(server.getReceivedMessages()).filter(m -> {
            try {
                return ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress().equals(to);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertEquals(1, mails.size(), "one mail to " + to);
        return mails.get(0);
    }

    private static String text(MimeMessage m, String type) throws Exception {
        Multipart parts = (Multipart) m.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            if (p.isMimeType(type)) {
                return (String) p.getContent();
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    private static String token(MimeMessage m, String path) throws Exception {
        String plain = text(m, "text/plain");
        Matcher matcher = TOKEN.matcher(plain);
        assertTrue(matcher.find(), plain);
        assertTrue(matcher.group().startsWith(SharedDatabase.config().control().publicUrl() + path), matcher.group());
        String html = text(m, "text/html");
        assertTrue(html.contains("<a href=\"" + matcher.group() + "\">"), html);
        return matcher.group(1);
    }

    @Test
    void verificationMailArrivesOverSmtpAndItsLinkVerifiesTheAddressOnce() throws Exception {
        String name = TestApi.unique("smtp");
        String password = "a fine smtp passphrase";
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ROOT");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        api.outbox().dispatchPending(); // what other tests left queued in the shared database (digests) goes first
        try {
            assertEquals(201, register(name, password).status());
            assertTrue(api.outbox().dispatchPending() >= 1, "ours, and any mail other tests left due in the shared outbox");
        } finally {
            root.detachAppender(logs);
        }

        MimeMessage mail = received(smtp, name + "@example.org");
        assertEquals("Confirm your e-mail address", mail.getSubject());
        assertEquals(new InternetAddress("Kino Test <no-reply@kino.test>"), mail.getFrom()[0]);
        assertTrue(mail.isMimeType("multipart/alternative"), mail.getContentType());
        assertEquals("auto-generated", mail.getHeader("Auto-Submitted", null));
        String token = token(mail, "/verify-email?token=");
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("s***@example.org")), "logged, masked");
        assertTrue(logs.list.stream().filter(e -> !e.getLoggerName().startsWith("com.icegreen")) // the server's own log
                .noneMatch(e -> e.getFormattedMessage().contains(token)
                || e.getFormattedMessage().contains(name + "@")), "neither the link nor the address is logged");

        assertEquals(204, http.post("/api/v1/auth/verify-email", null, Map.of("token", token)).status());
        assertEquals(422, http.post("/api/v1/auth/verify-email", null, Map.of("token", token)).status(), "single use");
        String access = http.post("/api/v1/auth/login", null, Map.of("login", name, "password", password))
                .json().get("accessToken").asText();
        assertTrue(http.get("/api/v1/me", access).json().get("emailVerified").asBoolean());
        Map<String, Object> row = SharedDatabase.get().jdbi().withHandle(h -> h.select(
                "select sent_at, body from outbox where recipient = ?", name + "@example.org").mapToMap().one());
        assertNotNull(row.get("sent_at"));
        assertEquals(null, row.get("body"), "the link does not linger once sent");
    }

    @Test
    void passwordResetMailCarriesAWorkingLink() throws Exception {
        String name = TestApi.unique("reset");
        assertEquals(201, register(name, "the first passphrase").status());
        api.outbox().dispatchPending();
        smtp.purgeEmailFromAllMailboxes();

        assertEquals(202, http.post("/api/v1/auth/password-reset", null, Map.of("email", name + "@example.org")).status());
        assertTrue(api.outbox().dispatchPending() >= 1, "ours, and any mail other tests left due in the shared outbox");
        MimeMessage mail = received(smtp, name + "@example.org");
        assertEquals("Reset your password", mail.getSubject());
        String token = token(mail, "/reset-password?token=");
        CLOCK.advance(Duration.ofSeconds(1));
        assertEquals(204, http.post("/api/v1/auth/password-reset/confirm", null,
                Map.of("token", token, "password", "the second passphrase")).status());
        assertEquals(200, http.post("/api/v1/auth/login", null,
                Map.of("login", name, "password", "the second passphrase")).status());
    }

    @Test
    void whileTheServerIsDownTheMailStaysPendingAndGoesOutOnceItIsBack() throws Exception {
        smtp.stop();
        String name = TestApi.unique("down");
        assertEquals(201, register(name, "a patient passphrase").status());
        assertEquals(0, api.outbox().dispatchPending());
        Map<String, Object> row = SharedDatabase.get().jdbi().withHandle(h -> h.select(
                "select attempts, sent_at, failed_at, body, last_error from outbox where recipient = ?",
                name + "@example.org").mapToMap().one());
        assertEquals(1, row.get("attempts"));
        assertEquals(null, row.get("sent_at"));
        assertEquals(null, row.get("failed_at"));
        assertNotNull(row.get("body"));
        assertTrue(row.get("last_error").toString().contains("127.0.0.1:" + port), row.get("last_error").toString());

        smtp = startSmtp();
        api.outbox().dispatchPending(); // may send other tests' due mail, never ours yet:
        assertNull(SharedDatabase.get().jdbi().withHandle(h -> h.select("select sent_at from outbox where recipient = ?",
                name + "@example.org").mapTo(java.time.OffsetDateTime.class).findOne().orElse(null)), "waits out its back-off");
        CLOCK.advance(Outbox.backoff(1));
        assertTrue(api.outbox().dispatchPending() >= 1, "ours, and any mail other tests left due in the shared outbox");
        String token = token(received(smtp, name + "@example.org"), "/verify-email?token=");
        assertEquals(204, http.post("/api/v1/auth/verify-email", null, Map.of("token", token)).status());
    }

    @Test
    void implicitTlsWithAuthVerifiesTheServerAndLogsIn(@TempDir Path dir) throws Exception {
        // a certificate for 127.0.0.1 that the sender trusts (as it would a provider's public CA), the server's key
        Path keystore = dir.resolve("smtp.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), out);
        System.setProperty("greenmail.tls.keystore.file", keystore.toString());
        System.setProperty("greenmail.tls.keystore.password", "changeit");
        System.setProperty("greenmail.tls.key.password", "changeit");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        SSLSocketFactory trusting = tls.getSocketFactory();

        int tlsPort = freePort();
        GreenMail smtps = new GreenMail(new ServerSetup(tlsPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer@kino.test", "mailer", "s3cret-pw"));
        smtps.start();
        try {
            Mail mail = new Mail("verify-email", "tls@example.org", "Confirm", "Confirm:\n\nhttps://k.example/verify-email?token=abc");
            String[] base = {"mail.smtp.host=127.0.0.1", "mail.smtp.port=" + tlsPort, "mail.smtp.security=tls",
                    "mail.smtp.user=mailer", "mail.smtp.timeout=3s", "mail.from=no-reply@kino.test"};

            SmtpMailSender good = new SmtpMailSender(config(base, "mail.smtp.password=s3cret-pw").mail(), trusting);
            assertFalse(good.description().contains("s3cret"), good.description());
            good.send(mail);
            MimeMessage received = received(smtps, "tls@example.org");
            assertTrue(text(received, "text/plain").contains("token=abc"));

            RuntimeException wrongPassword = assertThrows(RuntimeException.class,
                    () -> new SmtpMailSender(config(base, "mail.smtp.password=wrong").mail(), trusting).send(mail));
            assertFalse(wrongPassword instanceof MailSender.PermanentFailure, "a login failure is retried (fix the config)");
            assertFalse(wrongPassword.getMessage().contains("wrong"), wrongPassword.getMessage());

            RuntimeException untrusted = assertThrows(RuntimeException.class,
                    () -> new SmtpMailSender(config(base, "mail.smtp.password=s3cret-pw").mail()).send(mail));
            assertTrue(untrusted.getMessage().contains("127.0.0.1:" + tlsPort), untrusted.getMessage());
            assertInstanceOf(IllegalStateException.class, untrusted, "an unknown certificate is refused, not ignored");
        } finally {
            smtps.stop();
        }
    }

    private static KinoConfig config(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return SharedDatabase.config(all);
    }

    @Test
    void unparsableRecipientIsAPermanentFailure() {
        SmtpMailSender sender = new SmtpMailSender(SharedDatabase.config("mail.smtp.host=127.0.0.1",
                "mail.smtp.port=" + port, "mail.smtp.security=none").mail());
        assertThrows(MailSender.PermanentFailure.class,
                () -> sender.send(new Mail("verify-email", "not an address", "s", "b")));
    }

    @Test
    void htmlAlternativeEscapesAndLinks() {
        String html = SmtpMailSender.html(new Mail("k", "a@b.c", "A <b>", "Hi <you>:\n\nhttps://k.example/x?token=a&b=c\n\nbye"));
        assertTrue(html.contains("<title>A &lt;b&gt;</title>"), html);
        assertTrue(html.contains("<p>Hi &lt;you&gt;:</p>"), html);
        assertTrue(html.contains("<a href=\"https://k.example/x?token=a&amp;b=c\">https://k.example/x?token=a&amp;b=c</a>"), html);
    }
}
