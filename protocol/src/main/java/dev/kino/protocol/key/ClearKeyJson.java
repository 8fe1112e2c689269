package dev.kino.protocol.key;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Shared strict JSON reading for the Clear Key messages; package-private. */
final class ClearKeyJson {

    /** Largest message accepted, in characters; 64 key IDs need under 2 KiB. */
    static final int MAX_CHARS = 16 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ClearKeyJson() {
    }

    static String utf8(byte[] body) {
        if (body == null) {
            throw new LicenceMessageException("message body is missing");
        }
        if (body.length > MAX_CHARS * 4) {
            throw new LicenceMessageException("message too large: " + body.length + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new LicenceMessageException("message is not UTF-8", e);
        }
    }

    static JsonNode readObject(String json, String what) {
        if (json == null) {
            throw new LicenceMessageException(what + " is missing");
        }
        if (json.length() > MAX_CHARS) {
            throw new LicenceMessageException(what + " too large: " + json.length() + " chars (max " + MAX_CHARS + ")");
        }
        if (json.isBlank()) {
            throw new LicenceMessageException(what + " is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new LicenceMessageException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new LicenceMessageException(what + " must be a JSON object");
        }
        return root;
    }

    static ClearKeySessionType type(JsonNode root) {
        JsonNode t = root.get("type");
        if (t == null) {
            return ClearKeySessionType.TEMPORARY;
        }
        if (!t.isTextual()) {
            throw new LicenceMessageException("\"type\" must be a string");
        }
        return ClearKeySessionType.fromJson(t.textValue());
    }

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String c = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        StringBuilder b = new StringBuilder();
        for (char ch : c.toCharArray()) {
            b.append(ch >= 0x20 && ch != '"' && ch != '\\' && ch < 0x7f ? ch : '?');
        }
        return b.toString();
    }
}
