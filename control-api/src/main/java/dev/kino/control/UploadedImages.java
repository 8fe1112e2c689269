package dev.kino.control;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * Images people upload (avatars, posters), decoded with the JDK's {@link ImageIO} readers: PNG, JPEG, GIF or BMP,
 * never trusted further than that. The size is read from the header before any pixel is decoded, so a small file
 * that claims a huge picture (a "decompression bomb") is refused without allocating it.
 */
public final class UploadedImages {
    private UploadedImages() {
    }

    /**
     * @param upload the bytes as uploaded
     * @param field the request field named in a refusal ({@code avatar}, {@code poster})
     * @param maxSide the largest width or height accepted, pixels
     * @return the first frame, decoded
     * @throws InvalidInputException (422) when the bytes are not an image of a known type, cannot be read, or are
     *                               larger than {@code maxSide} on a side
     */
    public static BufferedImage decode(byte[] upload, String field, int maxSide) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(upload))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw InvalidInputException.of(field, "must be a PNG, JPEG, GIF or BMP image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > maxSide || h > maxSide) {
                    throw InvalidInputException.of(field, "must be at most " + maxSide + " pixels a side (this one is "
                            + w + "x" + h + ")");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException refused) {
                throw refused;
            }
            throw InvalidInputException.of(field, "is not a readable image");
        }
    }
}
