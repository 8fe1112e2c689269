package dev.kino.protocol.key;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A W3C EME Clear Key licence (EME §9.1.4 "License Format"): a JSON Web Key Set (RFC 7517) of symmetric keys, the
 * body a licence server returns and a player passes to {@code MediaKeySession.update()}:
 * <pre>{"keys":[{"kty":"oct","k":"base64url key","kid":"base64url key ID"}],"type":"temporary"}</pre>
 * Both {@code k} and {@code kid} are unpadded base64url of 16 bytes.
 *
 * <p>{@link #toString()} lists key IDs only, never key bytes.
 *
 * @param keys the keys, at most {@value ClearKeyLicenceRequest#MAX_KIDS}, no key ID twice; may be empty
 * @param type the session type, normally the one of the request
 */
public record ClearKeyLicenceResponse(List<Key> keys, ClearKeySessionType type) {

    /**
     * One JSON Web Key of type {@code oct}.
     *
     * @param kid the key ID ({@code kid})
     * @param key the content key ({@code k})
     */
    public record Key(KeyId kid, ContentKey key) {
        /**
         * Creates the Key, validating the components as described on the type.
         *
         * @param kid see {@link #kid()}
         * @param key see {@link #key()}
         * @throws NullPointerException if an argument is null
         */
        public Key {
            Objects.requireNonNull(kid, "kid");
            Objects.requireNonNull(key, "key");
        }

        /**
         * @return {@code Key[kid=<uuid>]}, never the key
         */
        @Override
        public String toString() {
            return "Key[kid=" + kid + "]";
        }
    }

    /**
     * Creates the ClearKeyLicenceResponse, validating the components as described on the type.
     *
     * @param keys see {@link #keys()}
     * @param type see {@link #type()}
     * @throws IllegalArgumentException if there are too many keys or a key ID repeats
     * @throws NullPointerException if an argument or element is null
     */
    public ClearKeyLicenceResponse {
        Objects.requireNonNull(type, "type");
        keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
        if (keys.size() > ClearKeyLicenceRequest.MAX_KIDS) {
            throw new IllegalArgumentException("keys: " + keys.size() + " keys, at most "
                    + ClearKeyLicenceRequest.MAX_KIDS);
        }
        Set<KeyId> seen = new HashSet<>();
        for (Key k : keys) {
            if (!seen.add(k.kid())) {
                throw new IllegalArgumentException("keys: key ID " + k.kid() + " appears twice");
            }
        }
    }

    /**
     * @param json the licence JSON
     * @return the licence
     * @throws LicenceMessageException if it is not a valid Clear Key licence (not JSON, no {@code keys} array, a key
     *         whose {@code kty} is not {@code oct}, a {@code k} or {@code kid} that is not base64url of 16 bytes,
     *         too many keys, a repeated key ID, an unknown {@code type})
     */
    public static ClearKeyLicenceResponse parse(String json) {
        JsonNode root = ClearKeyJson.readObject(json, "licence");
        JsonNode keysNode = root.get("keys");
        if (keysNode == null || !keysNode.isArray()) {
            throw new LicenceMessageException("licence must have a \"keys\" array");
        }
        if (keysNode.size() > ClearKeyLicenceRequest.MAX_KIDS) {
            throw new LicenceMessageException("\"keys\" has " + keysNode.size() + " keys, at most "
                    + ClearKeyLicenceRequest.MAX_KIDS);
        }
        List<Key> keys = new ArrayList<>();
        Set<KeyId> seen = new HashSet<>();
        for (int i = 0; i < keysNode.size(); i++) {
            JsonNode k = keysNode.get(i);
            String at = "\"keys\"[" + i + "]";
            if (!k.isObject()) {
                throw new LicenceMessageException(at + " must be an object");
            }
            JsonNode kty = k.get("kty");
            if (kty == null || !"oct".equals(kty.textValue())) {
                throw new LicenceMessageException(at + ".kty must be \"oct\"");
            }
            KeyId kid;
            ContentKey key;
            try {
                kid = KeyId.fromBase64Url(text(k, "kid", at));
            } catch (LicenceMessageException e) {
                throw new LicenceMessageException(at + ".kid: " + e.getMessage(), e);
            }
            try {
                key = ContentKey.fromBase64Url(text(k, "k", at));
            } catch (LicenceMessageException e) {
                throw new LicenceMessageException(at + ".k: " + e.getMessage(), e);
            }
            if (!seen.add(kid)) {
                throw new LicenceMessageException(at + ".kid repeats an earlier key ID");
            }
            keys.add(new Key(kid, key));
        }
        return new ClearKeyLicenceResponse(keys, ClearKeyJson.type(root));
    }

    private static String text(JsonNode obj, String name, String at) {
        JsonNode n = obj.get(name);
        if (n == null || !n.isTextual()) {
            throw new LicenceMessageException(at + "." + name + " must be a string");
        }
        return n.textValue();
    }

    /**
     * @return the licence as compact JSON, members in the order {@code keys} ({@code kty}, {@code k}, {@code kid}),
     *         {@code type}. Contains key bytes: handle as a secret.
     */
    public String toJson() {
        ObjectNode root = ClearKeyJson.MAPPER.createObjectNode();
        ArrayNode arr = root.putArray("keys");
        for (Key k : keys) {
            ObjectNode o = arr.addObject();
            o.put("kty", "oct");
            o.put("k", k.key().toBase64Url());
            o.put("kid", k.kid().toBase64Url());
        }
        root.put("type", type.json());
        try {
            return ClearKeyJson.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return {@link #toJson()} as UTF-8 bytes, the HTTP response body ({@code application/json})
     */
    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }
}
