package dev.kino.control.mail;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Transactional outbox: {@link #enqueue} writes a mail in the caller's transaction, so it exists if and
 * only if the change that caused it committed; {@link #dispatchPending} sends what is pending and clears
 * each body once sent (bodies hold single-use links). Rows are claimed with {@code FOR UPDATE SKIP
 * LOCKED}, so several nodes can dispatch at once without sending twice.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int BATCH = 50;
    private static final int MAX_ATTEMPTS = 10;

    private final Jdbi jdbi;
    private final MailSender sender;
    private final Clock clock;

    public Outbox(Jdbi jdbi, MailSender sender, Clock clock) {
        this.jdbi = jdbi;
        this.sender = sender;
        this.clock = clock;
    }

    /** Queues a mail inside the caller's transaction. */
    public void enqueue(Handle h, Mail mail) {
        h.createUpdate("insert into outbox (kind, recipient, subject, body, created_at) "
                        + "values (:kind, :recipient, :subject, :body, :now)")
                .bind("kind", mail.kind()).bind("recipient", mail.recipient()).bind("subject", mail.subject())
                .bind("body", mail.body()).bind("now", now()).execute();
    }

    private record Row(long id, Mail mail) {
    }

    /**
     * Sends pending mail (blocking: call from a scheduler or the blocking executor).
     *
     * @return how many were sent
     */
    public synchronized int dispatchPending() {
        int sent = 0;
        while (true) {
            int batchSent = jdbi.inTransaction(h -> {
                List<Row> rows = h.createQuery("select id, kind, recipient, subject, body from outbox "
                                + "where sent_at is null and attempts < :max order by id limit :n for update skip locked")
                        .bind("max", MAX_ATTEMPTS).bind("n", BATCH)
                        .map((rs, ctx) -> new Row(rs.getLong("id"), new Mail(rs.getString("kind"), rs.getString("recipient"),
                                rs.getString("subject"), rs.getString("body"))))
                        .list();
                int n = 0;
                for (Row r : rows) {
                    try {
                        sender.send(r.mail());
                        h.createUpdate("update outbox set sent_at = :now, body = null, attempts = attempts + 1 where id = :id")
                                .bind("now", now()).bind("id", r.id()).execute();
                        n++;
                    } catch (RuntimeException e) {
                        LOG.warn("sending outbox mail {} ({}) failed: {}", r.id(), r.mail().kind(), e.toString());
                        h.createUpdate("update outbox set attempts = attempts + 1, last_error = :err where id = :id")
                                .bind("err", e.toString()).bind("id", r.id()).execute();
                    }
                }
                return rows.size() < BATCH ? -n - 1 : n;
            });
            if (batchSent < 0) {
                return sent + (-batchSent - 1);
            }
            sent += batchSent;
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
