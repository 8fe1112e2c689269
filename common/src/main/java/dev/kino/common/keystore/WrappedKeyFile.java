package dev.kino.common.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The file {@value #FILE_NAME} in a title's folder: its content keys, wrapped with the key-encryption key.
 * The media server never serves it (it serves an allow-list of media file types).
 *
 * <pre>{@code
 * {"version": 1, "wrapping": "AES-KW", "kek": "<fingerprint>",
 *  "keys": [{"kid": "<32 hex>", "scheme": "aes-128", "wrapped": "<base64 of 24 bytes>"}]}
 * }</pre>
 */
public final class WrappedKeyFile {
    /** File name inside a title's folder. */
    public static final String FILE_NAME = "keys.wrapped.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private WrappedKeyFile() {
    }

    /**
     * @param keys the title's wrapped keys
     * @param kekFingerprint {@link ContentKeyWrapper#fingerprint()} of the wrapping key
     * @return the file's UTF-8 JSON bytes
     */
    public static byte[] write(List<WrappedKey> keys, String kekFingerprint) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("wrapping", "AES-KW");
        root.put("kek", kekFingerprint);
        ArrayNode arr = root.putArray("keys");
        for (WrappedKey k : keys) {
            arr.addObject().put("kid", k.kid()).put("scheme", k.scheme())
                    .put("wrapped", Base64.getEncoder().encodeToString(k.wrapped()));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param json the file's bytes
     * @param expectedKekFingerprint the fingerprint of the KEK this process holds
     * @param where the file's name, for error messages
     * @return the wrapped keys
     * @throws KeyStoreException when the file is malformed or was wrapped with another KEK
     */
    public static List<WrappedKey> read(byte[] json, String expectedKekFingerprint, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new KeyStoreException(where + " is not valid JSON", e);
        }
        if (root == null || root.path("version").asInt() != 1 || !"AES-KW".equals(root.path("wrapping").asText())) {
            throw new KeyStoreException(where + " is not a version 1 AES-KW wrapped key file");
        }
        String kek = root.path("kek").asText();
        if (!kek.equals(expectedKekFingerprint)) {
            throw new KeyStoreException(where + " was wrapped with key-encryption key " + kek
                    + ", but this server holds " + expectedKekFingerprint);
        }
        List<WrappedKey> out = new ArrayList<>();
        for (JsonNode k : root.path("keys")) {
            try {
                out.add(new WrappedKey(k.path("kid").asText(), k.path("scheme").asText(),
                        Base64.getDecoder().decode(k.path("wrapped").asText())));
            } catch (IllegalArgumentException e) {
                throw new KeyStoreException(where + ": bad key entry: " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }
}
