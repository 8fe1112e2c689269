package dev.kino.control.notifications;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Unsubscribe links that need no sign-in and cannot be forged: the account and the types are signed with
 * HMAC-SHA256 under a key every node derives from the shared key-encryption key (HKDF-Expand, RFC 5869 §2.3, info
 * {@code kino unsubscribe v1}). The link says what it does; nothing else is needed to act on it (RFC 8058 one-click).
 */
public final class UnsubscribeLinks {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final String publicUrl;

    /**
     * @param keyEncryptionKey the shared key-encryption key
     * @param publicUrl the control API's public base URL, no trailing slash
     */
    public UnsubscribeLinks(byte[] keyEncryptionKey, String publicUrl) {
        byte[] info = "kino unsubscribe v1".getBytes(StandardCharsets.US_ASCII);
        byte[] block = Arrays.copyOf(info, info.length + 1);
        block[info.length] = 1;
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(keyEncryptionKey, "HmacSHA256"), block), "HmacSHA256");
        this.publicUrl = publicUrl;
    }

    /** @return the query string ({@code account=…&types=…&sig=…}) of a link that turns e-mail off for the types */
    public String query(UUID account, List<NotificationType> types) {
        String t = types.stream().map(NotificationType::wire).collect(Collectors.joining(","));
        return "account=" + account + "&types=" + t + "&sig=" + B64.encodeToString(mac(account, t));
    }

    /** @return the one-click address for {@code List-Unsubscribe} (POST, RFC 8058) */
    public String oneClickUrl(UUID account, List<NotificationType> types) {
        return publicUrl + "/api/v1/notifications/unsubscribe?" + query(account, types);
    }

    /** @return the web app's page for a person who clicks the link in the mail */
    public String pageUrl(UUID account, List<NotificationType> types) {
        return publicUrl + "/unsubscribe?" + query(account, types);
    }

    /**
     * @return the types, when the signature matches the account and types (compared in constant time); empty for a
     *         forged, altered or malformed link
     */
    public Optional<List<NotificationType>> verify(String account, String types, String sig) {
        if (account == null || types == null || sig == null || types.length() > 400 || sig.length() > 100) {
            return Optional.empty();
        }
        UUID id;
        byte[] given;
        try {
            id = UUID.fromString(account);
            given = B64D.decode(sig);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!id.toString().equals(account) || !MessageDigest.isEqual(mac(id, types), given)) {
            return Optional.empty();
        }
        List<Optional<NotificationType>> parsed = Arrays.stream(types.split(",")).map(NotificationType::of).toList();
        if (parsed.isEmpty() || parsed.stream().anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(parsed.stream().map(Optional::get).toList());
    }

    private byte[] mac(UUID account, String types) {
        return hmac(key, (account + "\n" + types).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(SecretKeySpec k, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(k);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
