package dev.kino.control.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.kino.control.ControlApiException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ES256 key ring of access tokens, kept in {@code <data.dir>/secrets/jwt-signing-keys.json} (a JWK
 * set with private keys, owner-only permissions), generated on first start. The first key signs; every
 * key verifies, so rotating is: put a new key first, keep the old one until its tokens expired (15 min),
 * then drop it.
 */
public final class SigningKeys {
    /** File name under the secrets folder. */
    public static final String FILE = "jwt-signing-keys.json";

    private final ECKey signing;
    private final Map<String, ECKey> byKid;

    private SigningKeys(List<ECKey> keys) {
        this.signing = keys.get(0);
        Map<String, ECKey> map = new LinkedHashMap<>();
        keys.forEach(k -> map.put(k.getKeyID(), k));
        this.byKid = Map.copyOf(map);
    }

    /**
     * @param dataDir the data directory
     * @return the ring read from its file, or a new one-key ring written to it
     * @throws ControlApiException when the file is unreadable or holds no usable EC P-256 private key
     */
    public static SigningKeys loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("secrets").resolve(FILE);
        try {
            if (!Files.exists(file)) {
                write(file, new JWKSet(newKey()));
            }
            JWKSet set = JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8));
            List<ECKey> keys = set.getKeys().stream().filter(k -> k instanceof ECKey e && e.isPrivate()
                    && Curve.P_256.equals(e.getCurve()) && k.getKeyID() != null).map(JWK::toECKey).toList();
            if (keys.isEmpty()) {
                throw new ControlApiException(file + " holds no EC P-256 private key with a kid");
            }
            return new SigningKeys(keys);
        } catch (IOException | ParseException e) {
            throw new ControlApiException("cannot read or create the access-token signing keys " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return a ring of the given keys, the first signing (tests, rotation tools) */
    public static SigningKeys of(List<ECKey> keys) {
        return new SigningKeys(keys);
    }

    /** @return a new P-256 signing key whose kid names the day it was made */
    public static ECKey newKey() {
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        String kid = "jwt-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "-"
                + HexFormat.of().formatHex(suffix);
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .generate();
        } catch (JOSEException e) {
            throw new ControlApiException("cannot generate an EC P-256 key: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, JWKSet set) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path dir = file.getParent();
        if (!Files.exists(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, set.toString(false), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** @return the key new tokens are signed with */
    public ECKey signing() {
        return signing;
    }

    /** @return the key with that id, or null */
    public ECKey verifying(String kid) {
        return kid == null ? null : byKid.get(kid);
    }

    /** @return the public keys, for a JWKS endpoint */
    public JWKSet publicKeys() {
        return new JWKSet(List.copyOf(byKid.values().stream().map(k -> (JWK) k.toPublicJWK()).toList()));
    }
}
