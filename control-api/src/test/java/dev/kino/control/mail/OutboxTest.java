package dev.kino.control.mail;

import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retries of the outbox. Its clock stands in 2001, so it sees only its own rows of the shared database (other
 * tests' mails are due later), and it deletes them afterwards.
 */
class OutboxTest {
    private final Jdbi jdbi = SharedDatabase.get().jdbi();
    private final MutableClock clock = new MutableClock(Instant.parse("2001-01-01T00:00:00Z"));
    private final List<Mail> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final List<Mail> tried = new CopyOnWriteArrayList<>();
    private final Outbox outbox = new Outbox(jdbi, mail -> {
        tried.add(mail);
        if (down.get()) {
            throw new IllegalStateException("SMTP 127.0.0.1:1: Connection refused");
        }
        if (mail.recipient().startsWith("refused")) {
            throw new MailSender.PermanentFailure("550 no such user", null);
        }
        sent.add(mail);
    }, clock);
    private final String domain = "@" + UUID.randomUUID().toString().substring(0, 8) + ".outbox.test";

    @BeforeEach
    void clean() {
        jdbi.useHandle(h -> h.execute("delete from outbox where created_at < '2002-01-01'"));
    }

    @AfterEach
    void cleanUp() {
        clean();
    }

    private long enqueue(String local) {
        jdbi.useTransaction(h -> outbox.enqueue(h, new Mail("verify-email", local + domain, "Subject",
                "link https://k.example/verify-email?token=secret-" + local)));
        return jdbi.withHandle(h -> h.select("select max(id) from outbox where recipient = ?", local + domain)
                .mapTo(long.class).one());
    }

    private Map<String, Object> row(long id) {
        return jdbi.withHandle(h -> h.select("select attempts, next_attempt_at, sent_at, failed_at, body, last_error "
                + "from outbox where id = ?", id).mapToMap().one());
    }

    @Test
    void backoffDoublesFromThirtySecondsUpToHalfAnHour() {
        assertEquals(Duration.ofSeconds(30), Outbox.backoff(1));
        assertEquals(Duration.ofMinutes(1), Outbox.backoff(2));
        assertEquals(Duration.ofMinutes(16), Outbox.backoff(6));
        assertEquals(Duration.ofMinutes(30), Outbox.backoff(7));
        assertEquals(Duration.ofMinutes(30), Outbox.backoff(1000));
    }

    @Test
    void aFailedMailStaysPendingAndIsRetriedAfterItsBackoff() {
        long id = enqueue("a");
        down.set(true);
        assertEquals(0, outbox.dispatchPending());
        Map<String, Object> r = row(id);
        assertEquals(1, r.get("attempts"));
        assertNull(r.get("sent_at"));
        assertNull(r.get("failed_at"));
        assertNotNull(r.get("body"), "kept for the retry");
        assertTrue(r.get("last_error").toString().contains("Connection refused"));
        assertEquals(clock.instant().plusSeconds(30), ((java.sql.Timestamp) r.get("next_attempt_at")).toInstant());

        down.set(false);
        assertEquals(0, outbox.dispatchPending(), "not before its next attempt");
        assertEquals(1, tried.size());
        clock.advance(Duration.ofSeconds(30));
        assertEquals(1, outbox.dispatchPending());
        r = row(id);
        assertNotNull(r.get("sent_at"));
        assertNull(r.get("body"));
        assertNull(r.get("last_error"));
        assertEquals(2, r.get("attempts"));
        assertEquals(1, sent.size());
    }

    @Test
    void aServerThatIsDownCostsOneAttemptPerRoundNotOnePerMailNorASpin() {
        for (int i = 0; i < 120; i++) {
            enqueue("m" + i);
        }
        down.set(true);
        assertEquals(0, outbox.dispatchPending());
        assertEquals(1, tried.size(), "the round stops at the first failure");
        assertEquals(0, outbox.dispatchPending());
        assertEquals(2, tried.size(), "the next mail is tried next time; the failed one waits");
        down.set(false);
        assertEquals(118, outbox.dispatchPending(), "the rest goes out in batches");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(2, outbox.dispatchPending());
        assertEquals(120, sent.size());
    }

    @Test
    void aRefusedRecipientIsGivenUpAtOnceWithoutBlockingTheOthers() {
        long refused = enqueue("refused");
        long fine = enqueue("fine");
        assertEquals(1, outbox.dispatchPending());
        Map<String, Object> r = row(refused);
        assertNotNull(r.get("failed_at"));
        assertNull(r.get("body"), "a given-up mail loses its link too");
        assertNotNull(row(fine).get("sent_at"));
        clock.advance(Duration.ofDays(1));
        assertEquals(0, outbox.dispatchPending());
        assertEquals(2, tried.size(), "never tried again");
    }

    @Test
    void aMailStillFailingWhenItsLinksAreDeadIsGivenUp() {
        long id = enqueue("old");
        down.set(true);
        int attempts = 0;
        while (row(id).get("failed_at") == null) {
            outbox.dispatchPending();
            attempts++;
            clock.advance(Outbox.backoff(attempts));
            assertTrue(attempts < 200);
        }
        Map<String, Object> r = row(id);
        assertNull(r.get("body"));
        assertNull(r.get("sent_at"));
        assertTrue((int) r.get("attempts") > 90, r.toString()); // about 2 days at 30 min
        assertTrue(!clock.instant().isBefore(Instant.parse("2001-01-01T00:00:00Z").plus(Outbox.MAX_AGE)));
    }
}
