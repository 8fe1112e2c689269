package dev.kino.control.account;

import dev.kino.control.InvalidInputException;
import dev.kino.control.UploadedImages;
import dev.kino.control.NotFoundException;
import org.jdbi.v3.core.Jdbi;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code avatars}. An upload must be an image the JDK decodes (PNG, JPEG, GIF, BMP), at most
 * {@value #MAX_SIDE} pixels a side (checked from the header, before any pixel is decoded, so a small file claiming a
 * huge picture is refused without allocating it); it is cropped to a square, scaled to {@value #SIZE}×{@value #SIZE}
 * and re-encoded as PNG. Only that PNG is kept and served: never the uploaded bytes (which could carry script, EXIF
 * location or a polyglot).
 */
public final class Avatars {
    /** Side of the stored avatar, pixels. */
    public static final int SIZE = 256;
    /** Largest side of an upload, pixels. */
    public static final int MAX_SIDE = 4096;

    private final Jdbi jdbi;
    private final Clock clock;

    public Avatars(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A stored avatar: its PNG bytes and entity tag. */
    public record Avatar(byte[] png, String etag) {
    }

    /**
     * @param upload the uploaded bytes
     * @throws InvalidInputException when they are not an image within the limits
     */
    public void put(UUID account, byte[] upload) {
        byte[] png = normalise(upload);
        String etag;
        try {
            etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png), 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into avatars (account_id, png, etag, updated_at) values (:a, :p, :e, :now)
                        on conflict (account_id) do update set png = :p, etag = :e, updated_at = :now""")
                .bind("a", account).bind("p", png).bind("e", etag).bind("now", Timestamp.from(clock.instant())).execute());
    }

    public void remove(UUID account) {
        jdbi.useHandle(h -> h.createUpdate("delete from avatars where account_id = :a").bind("a", account).execute());
    }

    /** @throws NotFoundException when the account has no avatar */
    public Avatar get(UUID account) {
        Optional<Avatar> a = jdbi.withHandle(h -> h.createQuery("select png, etag from avatars where account_id = :a")
                .bind("a", account).map((rs, ctx) -> new Avatar(rs.getBytes(1), rs.getString(2))).findOne());
        return a.orElseThrow(() -> new NotFoundException("no avatar"));
    }

    static byte[] normalise(byte[] upload) {
        BufferedImage image = UploadedImages.decode(upload, "avatar", MAX_SIDE);
        int side = Math.min(image.getWidth(), image.getHeight());
        BufferedImage square = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = square.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            int x = (image.getWidth() - side) / 2;
            int y = (image.getHeight() - side) / 2;
            g.drawImage(image, 0, 0, SIZE, SIZE, x, y, x + side, y + side, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(square, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding into memory failed", e);
        }
        return out.toByteArray();
    }
}
