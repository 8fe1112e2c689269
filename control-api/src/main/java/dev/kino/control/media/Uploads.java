package dev.kino.control.media;

import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.PayloadTooLargeException;
import dev.kino.control.Validation;
import dev.kino.control.catalog.Viewer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Chunked, resumable uploads streamed to disk: each chunk (at most {@code control.maxRequestBytes},
 * the one request body the runtime buffers) is written at its offset of
 * {@code <data.dir>/uploads/.partial/<id>.part}; the last one triggers a streaming SHA-256 check and an
 * atomic move to {@code <data.dir>/uploads/<id>-<filename>}. Nothing beyond one chunk is ever held in
 * memory. Chunks of one upload are serialised by a row lock, so a retried or duplicated chunk can
 * never interleave with another.
 */
public final class Uploads {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int HASH_BUFFER = 64 * 1024;

    private final Jdbi jdbi;
    private final Path uploadsDir;
    private final Path partialDir;
    private final long maxUploadBytes;
    private final long maxChunkBytes;
    private final Clock clock;

    /**
     * @param dataDir {@code data.dir}
     * @param maxUploadBytes {@code control.maxUploadBytes}
     * @param maxChunkBytes {@code control.maxRequestBytes}
     */
    public Uploads(Jdbi jdbi, Path dataDir, long maxUploadBytes, long maxChunkBytes, Clock clock) {
        this.jdbi = jdbi;
        this.uploadsDir = dataDir.resolve("uploads").toAbsolutePath().normalize();
        this.partialDir = uploadsDir.resolve(".partial");
        this.maxUploadBytes = maxUploadBytes;
        this.maxChunkBytes = maxChunkBytes;
        this.clock = clock;
        try {
            Files.createDirectories(partialDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + partialDir, e);
        }
    }

    /** @return where completed uploads are kept */
    public Path directory() {
        return uploadsDir;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A row of {@code uploads}. */
    record Row(UUID id, UUID ownerId, String filename, long size, String sha256, long received, String state,
               String path, String error, Instant createdAt, Instant updatedAt) {
        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getObject("id", UUID.class), rs.getObject("owner_id", UUID.class), rs.getString("filename"),
                    rs.getLong("size"), rs.getString("sha256"), rs.getLong("received"), rs.getString("state"),
                    rs.getString("path"), rs.getString("error"), rs.getTimestamp("created_at").toInstant(),
                    rs.getTimestamp("updated_at").toInstant());
        }
    }

    private UploadView view(Row r) {
        return new UploadView(r.id(), r.filename(), r.size(), r.sha256(), r.received(), maxChunkBytes, r.state(),
                r.error(), r.createdAt(), r.updatedAt());
    }

    /**
     * Starts an upload owned by the caller.
     *
     * @throws InvalidInputException for a bad name, size (above {@code control.maxUploadBytes}) or checksum
     */
    public UploadView create(Viewer owner, UploadInput in) {
        Validation v = new Validation();
        if (v.required("filename", in.filename())) {
            v.check("filename", in.filename().length() <= 255 && in.filename().indexOf('/') < 0
                    && in.filename().indexOf('\\') < 0 && in.filename().indexOf('\0') < 0
                    && !in.filename().equals(".") && !in.filename().equals(".."),
                    "must be a file name of at most 255 characters, without / or \\");
        }
        v.check("size", in.size() != null && in.size() >= 1 && in.size() <= maxUploadBytes,
                "must be 1 to " + maxUploadBytes + " bytes (control.maxUploadBytes)");
        v.check("sha256", in.sha256() != null && SHA256.matcher(in.sha256()).matches(), "must be 64 hex digits");
        v.throwIfInvalid();
        UUID id = UUID.randomUUID();
        Instant now = now();
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into uploads (id, owner_id, filename, size, sha256, created_at, updated_at)
                        values (:id, :owner, :name, :size, :sha, :now, :now)""")
                .bind("id", id).bind("owner", owner.accountId()).bind("name", in.filename()).bind("size", in.size())
                .bind("sha", in.sha256().toLowerCase(Locale.ROOT)).bind("now", now).execute());
        return get(owner, id);
    }

    /** @return the caller's upload @throws NotFoundException for another account's too (no existence leak) */
    public UploadView get(Viewer caller, UUID id) {
        return view(jdbi.withHandle(h -> row(h, caller, id, false)));
    }

    private static Row row(Handle h, Viewer caller, UUID id, boolean lock) {
        return h.createQuery("select * from uploads where id = :id" + (lock ? " for update" : "")).bind("id", id)
                .map((rs, ctx) -> Row.of(rs)).findOne()
                .filter(r -> r.ownerId().equals(caller.accountId()))
                .orElseThrow(() -> new NotFoundException("no upload " + id));
    }

    /**
     * Writes one chunk at {@code offset}. Sending the chunk at the received offset appends it; resending
     * a chunk that was already stored (a lost answer) changes nothing.
     *
     * @return the upload after the chunk; {@code complete} once the last byte arrived and the checksum matched
     * @throws NotFoundException for an unknown upload
     * @throws ConflictException when not receiving or when {@code offset} is not the received offset (the message
     *                           says which is)
     * @throws PayloadTooLargeException for a chunk beyond the declared size
     * @throws InvalidInputException for an empty chunk or a checksum mismatch (the upload is then failed)
     */
    public UploadView append(Viewer caller, UUID id, long offset, byte[] chunk) {
        if (chunk.length == 0) {
            throw InvalidInputException.of("body", "a chunk has at least one byte");
        }
        UploadView result = jdbi.inTransaction(h -> {
            Row r = row(h, caller, id, true);
            if (!r.state().equals("receiving")) {
                throw new ConflictException("upload " + id + " is " + r.state() + "; it takes no more chunks");
            }
            if (offset < r.received() && offset + chunk.length <= r.received()) {
                return view(r); // a duplicate of a stored chunk
            }
            if (offset != r.received()) {
                throw new ConflictException("upload " + id + " has received " + r.received()
                        + " bytes; send the chunk at offset " + r.received() + ", not " + offset);
            }
            if (offset + chunk.length > r.size()) {
                throw new PayloadTooLargeException("the chunk ends at byte " + (offset + chunk.length)
                        + ", beyond the declared size " + r.size());
            }
            Path part = partialDir.resolve(id + ".part");
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(chunk);
                long pos = offset;
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
                ch.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + part, e);
            }
            long received = offset + chunk.length;
            Instant now = now();
            h.createUpdate("update uploads set received = :r, updated_at = :now where id = :id")
                    .bind("r", received).bind("now", now).bind("id", id).execute();
            if (received < r.size()) {
                return view(row(h, caller, id, false));
            }
            String actual = sha256(part);
            if (!actual.equals(r.sha256())) {
                deleteQuietly(part);
                h.createUpdate("update uploads set state = 'failed', error = :e, updated_at = :now where id = :id")
                        .bind("e", "SHA-256 mismatch: declared " + r.sha256() + ", received " + actual)
                        .bind("now", now).bind("id", id).execute();
                return null;
            }
            Path done = uploadsDir.resolve(id + "-" + safeName(r.filename()));
            move(part, done);
            h.createUpdate("update uploads set state = 'complete', path = :p, updated_at = :now where id = :id")
                    .bind("p", done.toString()).bind("now", now).bind("id", id).execute();
            return view(row(h, caller, id, false));
        });
        if (result == null) {
            UploadView failed = get(caller, id);
            throw new InvalidInputException("checksum mismatch: the received file's SHA-256 is not the declared "
                    + failed.sha256() + "; the upload failed, start a new one");
        }
        return result;
    }

    /** Aborts an upload that is still receiving and deletes its partial file. @throws ConflictException otherwise */
    public void abort(Viewer caller, UUID id) {
        jdbi.useTransaction(h -> {
            Row r = row(h, caller, id, true);
            if (!r.state().equals("receiving")) {
                throw new ConflictException("upload " + id + " is " + r.state() + "; only a receiving upload can be aborted");
            }
            h.createUpdate("update uploads set state = 'aborted', updated_at = :now where id = :id")
                    .bind("now", now()).bind("id", id).execute();
            deleteQuietly(partialDir.resolve(id + ".part"));
        });
    }

    /**
     * @return the path of the caller's completed upload
     * @throws NotFoundException for an unknown upload (or another account's)
     * @throws ConflictException when it is not complete
     */
    public Path completedFile(Viewer caller, UUID id) {
        Row r = jdbi.withHandle(h -> row(h, caller, id, false));
        if (!r.state().equals("complete")) {
            throw new ConflictException("upload " + id + " is " + r.state() + ", not complete");
        }
        return Path.of(r.path());
    }

    static String safeName(String filename) {
        String s = filename.replaceAll("[^A-Za-z0-9._-]", "_");
        s = s.replaceAll("\\.{2,}", "_");
        return s.length() > 100 ? s.substring(s.length() - 100) : s;
    }

    /** Streams a file through SHA-256. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[HASH_BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover partial file is harmless: it is overwritten or cleaned with the data dir
        }
    }

    /** @return the upload's row, if the caller owns it */
    Optional<Path> path(Viewer caller, UUID id) {
        return Optional.ofNullable(jdbi.withHandle(h -> row(h, caller, id, false)).path()).map(Path::of);
    }
}
