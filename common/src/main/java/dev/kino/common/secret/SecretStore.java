package dev.kino.common.secret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kino.common.config.ConfigException;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.config.Secret;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Resolves {@link Secrets} from the configuration, generating what is not configured into
 * {@code <data.dir>/secrets/} on first start: the folder is {@code rwx------} and every file
 * {@code rw-------}, written to a temporary file and renamed into place so a crash never leaves a
 * half-written key.
 *
 * <p>Files: {@code playback-token-keys} (lines {@code kid:base64}, the first signs), {@code jwt-signing-keys.json}
 * (the control API's ES256 access token keys: a JWK set, RFC 7517 §5, of EC P-256 private keys, RFC 7518 §6.2, each
 * with a {@code kid}; the first signs, every one verifies) and {@code key-encryption-key} (base64 of 32 random
 * bytes). This is the only place Kino reads or writes secret material: the launcher calls {@link #resolve} once and
 * passes the {@link Secrets} to every service it starts.
 *
 * <p>Rotating the access token keys: put a new key first in the JWK set ({@link #newAccessTokenKey()} makes one),
 * keep the old one until the tokens it signed have expired (15 minutes), then remove it.
 */
public final class SecretStore {
    /** Name of the generated playback token key file under the secrets folder. */
    public static final String TOKEN_KEYS_FILE = "playback-token-keys";
    /** Name of the generated access token key file (a JWK set) under the secrets folder. */
    public static final String ACCESS_TOKEN_KEYS_FILE = "jwt-signing-keys.json";
    /** Name of the generated key-encryption key file under the secrets folder. */
    public static final String KEK_FILE = "key-encryption-key";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Field size of P-256 in bytes: the length of {@code x}, {@code y} and {@code d} (RFC 7518 §6.2.1.2, §6.2.2.1). */
    private static final int P256_BYTES = 32;
    private static final ECParameterSpec P256 = p256();

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
                ? parseTokenKeys(lines(readOrCreate(dir.resolve(TOKEN_KEYS_FILE), SecretStore::newTokenKeyLine)),
                        "file " + dir.resolve(TOKEN_KEYS_FILE))
                : parseTokenKeys(config.tokens().keys().stream().map(Secret::reveal).toList(), "tokens.keys");
        Secret kekText = config.keys().keyEncryptionKey();
        String kek = kekText.isEmpty() ? lines(readOrCreate(dir.resolve(KEK_FILE), SecretStore::newKekLine)).get(0)
                : kekText.reveal();
        Path jwks = dir.resolve(ACCESS_TOKEN_KEYS_FILE);
        List<AccessTokenKey> accessTokenKeys = parseAccessTokenKeys(
                readOrCreate(jwks, () -> jwkSet(List.of(newAccessTokenKey()))), jwks);
        byte[] kekBytes;
        try {
            kekBytes = Base64.getDecoder().decode(kek.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("keys.keyEncryptionKey is not valid base64");
        }
        try {
            return new Secrets(tokenKeys, accessTokenKeys, kekBytes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * A generated password kept in the secrets folder (owner-only, written atomically on first use): the embedded
     * PostgreSQL's superuser and application role passwords.
     *
     * @param dataDir the data directory
     * @param name the file name under the secrets folder
     * @return the password: 32 random bytes as base64url (43 characters)
     * @throws ConfigException when the secrets folder is unusable
     */
    public static String generatedPassword(Path dataDir, String name) {
        return lines(readOrCreate(directory(dataDir).resolve(name), () -> {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        })).get(0).trim();
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

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    /**
     * @return the text of {@code file}, first written owner-only with {@code maker}'s text (and a final newline)
     *         when it does not exist
     */
    private static String readOrCreate(Path file, Supplier<String> maker) {
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
                Files.writeString(tmp, maker.get() + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file);
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return a new ES256 access token key whose {@code kid} names the day it was made: {@code jwt-20250101-a1b2c3} */
    public static AccessTokenKey newAccessTokenKey() {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        String kid = "jwt-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "-"
                + HexFormat.of().formatHex(suffix);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = g.generateKeyPair();
            return new AccessTokenKey(kid, (ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate an EC P-256 key: " + e.getMessage(), e);
        }
    }

    /**
     * @param keys access token keys, the signing one first
     * @return them as a JWK set (RFC 7517 §5) of EC private keys with {@code kid}, {@code use=sig} and
     *         {@code alg=ES256}: the format of {@value #ACCESS_TOKEN_KEYS_FILE}
     */
    public static String jwkSet(List<AccessTokenKey> keys) {
        ObjectNode set = JSON.createObjectNode();
        ArrayNode array = set.putArray("keys");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        for (AccessTokenKey k : keys) {
            array.addObject().put("kty", "EC").put("crv", "P-256").put("kid", k.keyId()).put("use", "sig")
                    .put("alg", "ES256")
                    .put("x", b64.encodeToString(unsigned(k.publicKey().getW().getAffineX())))
                    .put("y", b64.encodeToString(unsigned(k.publicKey().getW().getAffineY())))
                    .put("d", b64.encodeToString(unsigned(k.privateKey().getS())));
        }
        return set.toString();
    }

    /**
     * Reads a JWK set of access token keys: every EC P-256 private key with a {@code kid}, in file order (others,
     * such as public-only keys, are skipped). Errors name the file and the key id, never key material.
     */
    static List<AccessTokenKey> parseAccessTokenKeys(String text, Path file) {
        JsonNode set;
        try {
            set = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException("the access token keys " + file + " are not a JSON JWK set (line "
                    + e.getLocation().getLineNr() + ")");
        }
        List<AccessTokenKey> keys = new ArrayList<>();
        for (JsonNode k : set.path("keys")) {
            if (!"EC".equals(k.path("kty").asText()) || !"P-256".equals(k.path("crv").asText())
                    || !k.path("d").isTextual() || !k.path("kid").isTextual()) {
                continue;
            }
            String kid = k.path("kid").asText();
            try {
                BigInteger x = coordinate(k, "x");
                BigInteger y = coordinate(k, "y");
                BigInteger d = coordinate(k, "d");
                if (!onCurve(x, y)) {
                    throw new IllegalArgumentException("(x, y) is not a point of P-256");
                }
                if (d.signum() <= 0 || d.compareTo(P256.getOrder()) >= 0) {
                    throw new IllegalArgumentException("d is out of range");
                }
                KeyFactory f = KeyFactory.getInstance("EC");
                ECPublicKey pub = (ECPublicKey) f.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
                ECPrivateKey priv = (ECPrivateKey) f.generatePrivate(new ECPrivateKeySpec(d, P256));
                requirePair(pub, priv);
                keys.add(new AccessTokenKey(kid, pub, priv));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                throw new ConfigException("the access token keys " + file + ": key '" + kid + "' is not a usable EC "
                        + "P-256 key: " + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new ConfigException("the access token keys " + file + " hold no EC P-256 private key with a kid");
        }
        if (keys.stream().map(AccessTokenKey::keyId).distinct().count() != keys.size()) {
            throw new ConfigException("the access token keys " + file + ": a key id appears twice");
        }
        return List.copyOf(keys);
    }

    private static BigInteger coordinate(JsonNode key, String name) {
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(key.path(name).asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not base64url");
        }
        if (b.length != P256_BYTES) {
            throw new IllegalArgumentException(name + " is " + b.length + " bytes, not " + P256_BYTES);
        }
        return new BigInteger(1, b);
    }

    /** y² = x³ + ax + b (mod p): a key file with a point off the curve would make every signature worthless. */
    private static boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        return y.pow(2).mod(p).equals(right);
    }

    /** Signs a probe with the private key and verifies it with the public one: the two must be one key pair. */
    private static void requirePair(ECPublicKey pub, ECPrivateKey priv) throws GeneralSecurityException {
        byte[] probe = "kino access token key check".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(priv);
        sign.update(probe);
        byte[] sig = sign.sign();
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(pub);
        verify.update(probe);
        if (!verify.verify(sig)) {
            throw new IllegalArgumentException("its public key (x, y) does not belong to its private key d");
        }
    }

    /** @return {@code v} as exactly 32 big-endian bytes (BigInteger adds a sign byte or drops leading zeros) */
    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[P256_BYTES];
        int n = Math.min(b.length, P256_BYTES);
        System.arraycopy(b, b.length - n, out, P256_BYTES - n, n);
        return out;
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError("this JVM has no EC P-256 (secp256r1): " + e.getMessage());
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
