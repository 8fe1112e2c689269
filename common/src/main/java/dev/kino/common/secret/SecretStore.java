package dev.kino.common.secret;

import dev.kino.common.config.ConfigException;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.config.Secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves {@link Secrets} from the configuration, generating what is not configured into
 * {@code <data.dir>/secrets/} on first start: the folder is {@code rwx------} and every file
 * {@code rw-------}, written to a temporary file and renamed into place so a crash never leaves a
 * half-written key.
 *
 * <p>Files: {@code playback-token-keys} (lines {@code kid:base64}, the first signs) and
 * {@code key-encryption-key} (base64 of 32 random bytes).
 */
public final class SecretStore {
    /** Name of the generated playback token key file under the secrets folder. */
    public static final String TOKEN_KEYS_FILE = "playback-token-keys";
    /** Name of the generated key-encryption key file under the secrets folder. */
    public static final String KEK_FILE = "key-encryption-key";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private SecretStore() {
    }

    /** @return the secrets folder for a data directory */
    public static Path directory(Path dataDir) {
        return dataDir.resolve("secrets");
    }

    /**
     * @param config the effective configuration
     * @return configured secrets, or generated ones read from (or first written to) the data directory
     * @throws ConfigException when a configured secret is malformed or the secrets folder is unusable
     */
    public static Secrets resolve(KinoConfig config) {
        Path dir = directory(config.dataDir());
        Map<String, byte[]> tokenKeys = config.tokens().keys().isEmpty()
                ? parseTokenKeys(readOrCreate(dir.resolve(TOKEN_KEYS_FILE), SecretStore::newTokenKeyLine),
                        "file " + dir.resolve(TOKEN_KEYS_FILE))
                : parseTokenKeys(config.tokens().keys().stream().map(Secret::reveal).toList(), "tokens.keys");
        Secret kekText = config.keys().keyEncryptionKey();
        String kek = kekText.isEmpty() ? readOrCreate(dir.resolve(KEK_FILE), SecretStore::newKekLine).get(0) : kekText.reveal();
        byte[] kekBytes;
        try {
            kekBytes = Base64.getDecoder().decode(kek.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("keys.keyEncryptionKey is not valid base64");
        }
        try {
            return new Secrets(tokenKeys, kekBytes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** @return a new signing key line {@code kid:base64}, the kid naming the day it was made */
    public static String newTokenKeyLine() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        String kid = "k" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE)
                + HexFormat.of().formatHex(suffix);
        return kid + ":" + Base64.getEncoder().encodeToString(key);
    }

    private static String newKekLine() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static Map<String, byte[]> parseTokenKeys(List<String> lines, String where) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String line : lines) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new ConfigException(where + ": a playback token key must be written kid:base64");
            }
            String kid = l.substring(0, colon);
            if (!kid.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new ConfigException(where + ": key id '" + kid + "' must be 1 to 32 of A-Z a-z 0-9 _ -");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(l.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": the key of '" + kid + "' is not valid base64");
            }
            if (key.length < 32) {
                throw new ConfigException(where + ": the key of '" + kid + "' is " + key.length
                        + " bytes; at least 32 are required");
            }
            if (keys.put(kid, key) != null) {
                throw new ConfigException(where + ": key id '" + kid + "' appears twice");
            }
        }
        if (keys.isEmpty()) {
            throw new ConfigException(where + ": no playback token key");
        }
        return keys;
    }

    private interface LineMaker {
        String make();
    }

    private static List<String> readOrCreate(Path file, LineMaker maker) {
        try {
            if (!Files.exists(file)) {
                createPrivateDirectory(file.getParent());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(tmp);
                if (posix()) {
                    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
                } else {
                    Files.createFile(tmp);
                }
                Files.writeString(tmp, maker.make() + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file);
                }
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the secret file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        if (posix()) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
            Files.createDirectory(dir);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
