package dev.kino.control.media;

import dev.kino.control.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files already on the server that may become sources: only regular files under
 * {@code <data.dir>/incoming}, after resolving {@code ..} and symbolic links, so a request can never name
 * {@code /etc/shadow} or a link pointing out of the folder.
 */
public final class IncomingFiles {
    private final Path root;

    /** @param dataDir {@code data.dir}; {@code incoming} is created in it when missing */
    public IncomingFiles(Path dataDir) {
        this.root = dataDir.resolve("incoming").toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
    }

    /** @return {@code <data.dir>/incoming} */
    public Path root() {
        return root;
    }

    /**
     * @param path relative to the incoming folder, or absolute inside it
     * @return the real path of the file
     * @throws InvalidInputException for a path outside the folder, missing, or not a regular file
     */
    public Path resolve(String path) {
        if (path == null || path.isBlank() || path.indexOf('\0') >= 0) {
            throw InvalidInputException.of("path", "is required");
        }
        try {
            Path candidate = root.resolve(path).normalize();
            Path realRoot = root.toRealPath();
            if (!candidate.startsWith(root)) {
                throw outside();
            }
            Path real = candidate.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw outside();
            }
            if (!Files.isRegularFile(real)) {
                throw InvalidInputException.of("path", "is not a regular file");
            }
            return real;
        } catch (InvalidPathException e) {
            throw InvalidInputException.of("path", "is not a valid path");
        } catch (NoSuchFileException e) {
            throw InvalidInputException.of("path", "no such file under the incoming folder");
        } catch (IOException e) {
            throw InvalidInputException.of("path", "cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static InvalidInputException outside() {
        return InvalidInputException.of("path", "must be inside the incoming folder (<data.dir>/incoming)");
    }
}
