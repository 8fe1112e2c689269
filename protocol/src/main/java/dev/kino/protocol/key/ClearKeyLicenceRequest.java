package dev.kino.protocol.key;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A W3C EME Clear Key licence request (EME §9.1.3 "License Request Format"), the JSON a browser's Clear Key CDM
 * puts in its {@code message} event and a player POSTs to the licence server:
 * <pre>{"kids":["LwVHf8JLtPrv2GUXFW2v_A","..."],"type":"temporary"}</pre>
 * Key IDs are 16 bytes each, unpadded base64url.
 *
 * <p>Parsing is strict where it matters for safety and lenient where browsers differ: members other than
 * {@code kids} and {@code type} are ignored, a missing {@code type} means {@code temporary}, duplicate key IDs are
 * dropped (first occurrence kept); but duplicate JSON members, trailing content, a missing or empty {@code kids},
 * more than {@value #MAX_KIDS} key IDs, a key ID that is not base64url of exactly 16 bytes and an unknown
 * {@code type} are errors ({@link LicenceMessageException}).
 *
 * @param kids the requested key IDs, in request order, without duplicates; 1 to {@value #MAX_KIDS} of them
 * @param type the session type
 */
public record ClearKeyLicenceRequest(List<KeyId> kids, ClearKeySessionType type) {

    /** Most key IDs accepted in one request. */
    public static final int MAX_KIDS = 64;

    /**
     * Creates the ClearKeyLicenceRequest, validating the components as described on the type.
     *
     * @param kids see {@link #kids()}
     * @param type see {@link #type()}
     * @throws IllegalArgumentException if {@code kids} is empty, too long or has duplicates
     * @throws NullPointerException if an argument or element is null
     */
    public ClearKeyLicenceRequest {
        Objects.requireNonNull(type, "type");
        kids = List.copyOf(Objects.requireNonNull(kids, "kids"));
        if (kids.isEmpty()) {
            throw new IllegalArgumentException("kids must not be empty");
        }
        if (kids.size() > MAX_KIDS) {
            throw new IllegalArgumentException("kids: " + kids.size() + " key IDs, at most " + MAX_KIDS);
        }
        if (new LinkedHashSet<>(kids).size() != kids.size()) {
            throw new IllegalArgumentException("kids has duplicates");
        }
    }

    /**
     * @param kids the key IDs
     * @return a {@code temporary} request
     */
    public static ClearKeyLicenceRequest temporary(List<KeyId> kids) {
        return new ClearKeyLicenceRequest(kids, ClearKeySessionType.TEMPORARY);
    }

    /**
     * @param body the request body as received (UTF-8 JSON)
     * @return the request
     * @throws LicenceMessageException if the body is not a valid Clear Key licence request
     */
    public static ClearKeyLicenceRequest parse(byte[] body) {
        return parse(ClearKeyJson.utf8(body));
    }

    /**
     * @param json the request JSON
     * @return the request
     * @throws LicenceMessageException if the JSON is not a valid Clear Key licence request
     */
    public static ClearKeyLicenceRequest parse(String json) {
        JsonNode root = ClearKeyJson.readObject(json, "licence request");
        JsonNode kidsNode = root.get("kids");
        if (kidsNode == null) {
            throw new LicenceMessageException("licence request has no \"kids\"");
        }
        if (!kidsNode.isArray()) {
            throw new LicenceMessageException("\"kids\" must be an array");
        }
        if (kidsNode.isEmpty()) {
            throw new LicenceMessageException("\"kids\" is empty");
        }
        if (kidsNode.size() > MAX_KIDS) {
            throw new LicenceMessageException("\"kids\" has " + kidsNode.size() + " key IDs, at most " + MAX_KIDS);
        }
        LinkedHashSet<KeyId> kids = new LinkedHashSet<>();
        for (int i = 0; i < kidsNode.size(); i++) {
            JsonNode k = kidsNode.get(i);
            if (!k.isTextual()) {
                throw new LicenceMessageException("\"kids\"[" + i + "] must be a string");
            }
            try {
                kids.add(KeyId.fromBase64Url(k.textValue()));
            } catch (LicenceMessageException e) {
                throw new LicenceMessageException("\"kids\"[" + i + "]: " + e.getMessage(), e);
            }
        }
        return new ClearKeyLicenceRequest(new ArrayList<>(kids), ClearKeyJson.type(root));
    }

    /**
     * @return the request as compact JSON, {@code {"kids":[...],"type":"..."}}
     */
    public String toJson() {
        ObjectNode root = ClearKeyJson.MAPPER.createObjectNode();
        ArrayNode arr = root.putArray("kids");
        kids.forEach(k -> arr.add(k.toBase64Url()));
        root.put("type", type.json());
        try {
            return ClearKeyJson.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
