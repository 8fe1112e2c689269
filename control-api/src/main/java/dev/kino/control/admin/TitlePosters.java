package dev.kino.control.admin;

import dev.kino.control.InvalidInputException;
import dev.kino.control.UploadedImages;
import dev.kino.control.NotFoundException;
import org.jdbi.v3.core.Jdbi;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Posters editors upload for a title (owner of {@code title_posters}); the catalogue's poster route serves one in
 * place of the frame the packager grabbed. An upload must be an image the JDK decodes (PNG, JPEG, GIF, BMP), at most
 * {@value #MAX_SIDE} pixels a side (read from the header before any pixel is decoded, so a small file claiming a huge
 * picture is refused without allocating it); it is scaled to at most {@value #WIDTH} pixels wide (never up) and
 * re-encoded as a baseline JPEG at quality 0.85: only that JPEG is kept and served, never the uploaded bytes (which
 * could carry script, EXIF location or a polyglot).
 */
public final class TitlePosters {
    /** Largest side of an upload, pixels. */
    public static final int MAX_SIDE = 8192;
    /** Width of the stored poster at most, pixels (the packager's posters are as wide). */
    public static final int WIDTH = 1280;

    private final Jdbi jdbi;
    private final Clock clock;

    public TitlePosters(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * The stored poster's size.
     *
     * @param width pixels
     * @param height pixels
     * @param bytes JPEG size in bytes
     */
    public record PosterInfo(int width, int height, int bytes) {
    }

    /**
     * Stores a title's poster.
     *
     * @throws NotFoundException for an unknown title
     * @throws InvalidInputException ({@code poster}) for what is not a readable image of at most {@value #MAX_SIDE}
     *                               pixels a side
     */
    public PosterInfo put(UUID titleId, byte[] upload) {
        BufferedImage image = scaled(UploadedImages.decode(upload, "poster", MAX_SIDE));
        byte[] jpeg = jpeg(image);
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        insert into title_posters (title_id, jpeg, width, height, updated_at)
                        select id, :jpeg, :w, :h, :now from titles where id = :id
                        on conflict (title_id) do update set jpeg = excluded.jpeg, width = excluded.width,
                            height = excluded.height, updated_at = excluded.updated_at""")
                .bind("jpeg", jpeg).bind("w", image.getWidth()).bind("h", image.getHeight())
                .bind("now", Timestamp.from(clock.instant())).bind("id", titleId).execute());
        if (n == 0) {
            throw new NotFoundException("no title " + titleId);
        }
        return new PosterInfo(image.getWidth(), image.getHeight(), jpeg.length);
    }

    /** Removes an uploaded poster (the packager's is served again). @throws NotFoundException when there is none */
    public void remove(UUID titleId) {
        if (jdbi.withHandle(h -> h.createUpdate("delete from title_posters where title_id = :id").bind("id", titleId)
                .execute()) == 0) {
            throw new NotFoundException("title " + titleId + " has no uploaded poster");
        }
    }

    /** @return the uploaded poster's JPEG, if there is one */
    public Optional<byte[]> get(UUID titleId) {
        return jdbi.withHandle(h -> h.createQuery("select jpeg from title_posters where title_id = :id")
                .bind("id", titleId).mapTo(byte[].class).findOne());
    }

    private static BufferedImage scaled(BufferedImage src) {
        int w = Math.min(WIDTH, src.getWidth());
        int h = Math.max(1, (int) Math.round((double) src.getHeight() * w / src.getWidth()));
        // JPEG has no alpha: draw onto an opaque RGB canvas (black behind transparent parts)
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), p);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding into memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
