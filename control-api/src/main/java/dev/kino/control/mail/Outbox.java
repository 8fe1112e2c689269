package dev.kino.control.mail;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Transactional outbox: {@link #enqueue} writes a mail in the caller's transaction, so it exists if and
 * only if the change that caused it committed; {@link #dispatchPending} sends what is due and clears
 * each body once sent (bodies hold single-use links). Rows are claimed with {@code FOR UPDATE SKIP
 * LOCKED}, so several nodes can dispatch at once without sending twice.
 *
 * <p>Failures: a mail whose sending fails stays pending, its {@code attempts} counted and its next attempt
 * put off by {@link #backoff} (30 s, doubling, at most 30 min); the round stops there, since the next mails
 * would most likely fail the same way (server down) and each failure may cost a whole timeout. A mail the
 * sender refuses for good ({@link MailSender.PermanentFailure}), or still failing {@link #MAX_AGE} after it
 * was queued (its links are dead by then), is given up: {@code failed_at} set, body cleared, logged at WARN.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int BATCH = 50;
    /** Age after which a mail that still fails is given up: the longest-lived link it can carry (email verification). */
    public static final Duration MAX_AGE = Duration.ofDays(2);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(30);

    private final Jdbi jdbi;
    private final MailSender sender;
    private final Clock clock;

    public Outbox(Jdbi jdbi, MailSender sender, Clock clock) {
        this.jdbi = jdbi;
        this.sender = sender;
        this.clock = clock;
    }

    /** Queues a mail inside the caller's transaction; it is due at once. */
    public void enqueue(Handle h, Mail mail) {
        h.createUpdate("insert into outbox (kind, recipient, subject, body, html, headers, created_at, next_attempt_at) "
                        + "values (:kind, :recipient, :subject, :body, :html, cast(:headers as jsonb), :now, :now)")
                .bind("kind", mail.kind()).bind("recipient", mail.recipient()).bind("subject", mail.subject())
                .bind("body", mail.body()).bind("html", mail.html())
                .bind("headers", mail.headers().isEmpty() ? null : json(mail.headers())).bind("now", now()).execute();
    }

    private static String json(java.util.Map<String, String> headers) {
        try {
            return dev.kino.control.http.Json.MAPPER.writeValueAsString(headers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static java.util.Map<String, String> headers(String json) {
        if (json == null) {
            return java.util.Map.of();
        }
        try {
            return dev.kino.control.http.Json.MAPPER.readValue(json,
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("outbox headers are not JSON", e);
        }
    }

    /** @return how long to wait after the {@code attempts}-th failed attempt (1-based) */
    public static Duration backoff(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 16);
        Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
        return d.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : d;
    }

    private record Row(long id, Mail mail, int attempts, OffsetDateTime createdAt) {
    }

    private record Round(int sent, boolean more) {
    }

    /**
     * Sends the mail that is due (blocking: call from a scheduler or the blocking executor). Returns after the
     * first mail that fails for now; what is left is tried on a later call.
     *
     * @return how many were sent
     */
    public synchronized int dispatchPending() {
        int sent = 0;
        while (true) {
            Round round = jdbi.inTransaction(this::round);
            sent += round.sent();
            if (!round.more()) {
                return sent;
            }
        }
    }

    private Round round(Handle h) {
        OffsetDateTime now = now();
        List<Row> rows = h.createQuery("select id, kind, recipient, subject, body, html, headers::text as headers,"
                        + " attempts, created_at from outbox "
                        + "where sent_at is null and failed_at is null and next_attempt_at <= :now "
                        + "order by next_attempt_at, id limit :n for update skip locked")
                .bind("now", now).bind("n", BATCH)
                .map((rs, ctx) -> new Row(rs.getLong("id"), new Mail(rs.getString("kind"), rs.getString("recipient"),
                        rs.getString("subject"), rs.getString("body"), rs.getString("html"),
                        headers(rs.getString("headers"))), rs.getInt("attempts"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .list();
        int n = 0;
        for (Row r : rows) {
            try {
                sender.send(r.mail());
                h.createUpdate("update outbox set sent_at = :now, body = null, html = null, attempts = attempts + 1, last_error = null "
                                + "where id = :id")
                        .bind("now", now).bind("id", r.id()).execute();
                n++;
            } catch (MailSender.PermanentFailure e) {
                giveUp(h, r, now, e, "refused for good");
            } catch (RuntimeException e) {
                int attempts = r.attempts() + 1;
                if (!r.createdAt().plus(MAX_AGE).isAfter(now)) {
                    giveUp(h, r, now, e, "still failing after " + attempts + " attempts over " + MAX_AGE.toDays() + " days");
                    continue;
                }
                OffsetDateTime next = now.plus(backoff(attempts));
                LOG.warn("sending outbox mail {} ({} to {}) failed, attempt {}; next attempt at {}: {}", r.id(),
                        r.mail().kind(), LogMailSender.mask(r.mail().recipient()), attempts, next, e.toString());
                h.createUpdate("update outbox set attempts = :attempts, next_attempt_at = :next, last_error = :err "
                                + "where id = :id")
                        .bind("attempts", attempts).bind("next", next).bind("err", error(e)).bind("id", r.id()).execute();
                return new Round(n, false); // the rest most likely fails the same way: leave it for the next round
            }
        }
        return new Round(n, rows.size() == BATCH);
    }

    private void giveUp(Handle h, Row r, OffsetDateTime now, RuntimeException e, String why) {
        LOG.warn("giving up outbox mail {} ({} to {}), {}: {}", r.id(), r.mail().kind(),
                LogMailSender.mask(r.mail().recipient()), why, e.toString());
        h.createUpdate("update outbox set failed_at = :now, body = null, html = null, attempts = attempts + 1, last_error = :err "
                        + "where id = :id")
                .bind("now", now).bind("err", error(e)).bind("id", r.id()).execute();
    }

    private static String error(RuntimeException e) {
        String s = e.toString();
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
