package dev.kino.control.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import dev.kino.control.ControlApiException;
import dev.kino.control.InvalidInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The one Jackson configuration of the API and the one reading of JSON bodies: UTF-8 only (RFC 8259 §8.1),
 * nothing after the value, unknown fields rejected, ISO-8601 instants within years 1–9999 (what PostgreSQL and every
 * client store), nulls omitted on output. Errors name the field and the rule, never a Java type.
 */
public final class Json {
    /** Earliest instant a body may carry: 0001-01-01T00:00:00Z. */
    public static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    /** Latest instant a body may carry: 9999-12-31T23:59:59.999999999Z. */
    public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** Thread-safe once configured; never reconfigure it. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("kino-bounded-instants").addDeserializer(Instant.class, new BoundedInstants()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // 7.5 is not an integer: refuse, don't truncate
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Json() {
    }

    /**
     * @param body a request body
     * @return its text
     * @throws ApiException 400 {@code malformed-json} when it is not UTF-8 (a UTF-16 or UTF-32 body included)
     */
    static String utf8(byte[] body) {
        int start = body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf
                ? 3 : 0; // RFC 8259 §8.1: a parser may ignore a byte order mark
        for (int i = start; i < body.length; i++) {
            if (body[i] == 0) {
                throw ApiException.of(ProblemType.MALFORMED_JSON, "the body must be UTF-8 JSON (RFC 8259 §8.1); it"
                        + " contains NUL bytes (UTF-16 or UTF-32?)");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, start, body.length - start)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.of(ProblemType.MALFORMED_JSON, "the body must be UTF-8 JSON (RFC 8259 §8.1);"
                    + " it has a byte sequence that is not UTF-8");
        }
    }

    /**
     * Checks every field name and string value of a JSON text against {@link TextInput}, before anything is bound.
     *
     * @throws InvalidInputException naming the first unacceptable string by its path ({@code names.en},
     *                               {@code tags[2]})
     * @throws RuntimeException the problem of {@link #problemOf} when the text is not well-formed JSON
     */
    static void checkStrings(String json) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) {
                    String problem = TextInput.problem(p.getText(), TextInput.MAX_BODY_STRING);
                    if (problem != null) {
                        String at = fieldPath(p);
                        throw InvalidInputException.of(at.isEmpty() ? "body" : at,
                                (t == JsonToken.FIELD_NAME ? "the field name " : "") + problem);
                    }
                }
            }
        } catch (IOException e) {
            throw problemOf(e);
        }
    }

    /** @return the path of the parser's current token: {@code names.en}, {@code tags[2]}, empty at the root */
    private static String fieldPath(JsonParser p) {
        StringBuilder sb = new StringBuilder();
        for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                sb.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                sb.insert(0, c.getCurrentName() + (sb.length() == 0 || sb.charAt(0) == '[' ? "" : "."));
            }
        }
        return sb.toString();
    }

    /**
     * Turns a Jackson failure into what the client is told: 400 {@code malformed-json} for text that is not one JSON
     * value (with line and column), 400 {@code bad-request} naming the field and the JSON type it must have, 422
     * {@code validation} for a value out of range; the domain exception itself when an input's own check threw one.
     *
     * @param e what reading or binding threw
     * @return the exception to throw
     */
    public static RuntimeException problemOf(IOException e) {
        if (e instanceof ValueInstantiationException v && v.getCause() instanceof ControlApiException domain) {
            return domain;
        }
        if (e instanceof OutOfRange o) {
            return InvalidInputException.of(pathOf(o), o.getOriginalMessage());
        }
        if (e instanceof StreamConstraintsException c) {
            String m = String.valueOf(c.getOriginalMessage());
            String what = m.contains("nesting depth") ? "it nests deeper than "
                    + MAPPER.getFactory().streamReadConstraints().getMaxNestingDepth() + " levels"
                    : m.contains("Number") ? "a number in it has too many digits"
                    : m.contains("String") ? "a string in it is too long"
                    : "it exceeds a size limit";
            return ApiException.of(ProblemType.MALFORMED_JSON, "the JSON body is refused: " + what);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return ApiException.of(ProblemType.BAD_REQUEST, "unknown field '" + pathOf(u) + "'");
        }
        if (e instanceof MismatchedInputException m && String.valueOf(m.getOriginalMessage()).startsWith("Trailing token")) {
            return ApiException.of(ProblemType.MALFORMED_JSON, "malformed JSON: there is more after the end of the"
                    + " JSON value");
        }
        if (e instanceof StreamReadException s) {
            String message = String.valueOf(s.getOriginalMessage());
            return ApiException.of(ProblemType.MALFORMED_JSON, "malformed JSON"
                    + (s.getLocation() == null ? "" : " at line " + s.getLocation().getLineNr() + ", column "
                    + s.getLocation().getColumnNr()) + ": " + withoutTypes(message.split("\n", 2)[0]));
        }
        if (e instanceof MismatchedInputException m) {
            String field = pathOf(m);
            String where = field.isEmpty() ? "the body" : "field '" + field + "'";
            if (m.getTargetType() != null && Enum.class.isAssignableFrom(m.getTargetType())
                    && m instanceof InvalidFormatException) {
                return InvalidInputException.of(field.isEmpty() ? "body" : field, "must be one of "
                        + java.util.Arrays.stream(m.getTargetType().getEnumConstants()).map(c -> wire((Enum<?>) c))
                        .collect(Collectors.joining(", ")));
            }
            return ApiException.of(ProblemType.BAD_REQUEST, where + " must be " + jsonType(m.getTargetType()));
        }
        if (e instanceof JsonMappingException m) {
            String field = pathOf(m);
            return ApiException.of(ProblemType.BAD_REQUEST, (field.isEmpty() ? "the body" : "field '" + field + "'")
                    + " is not valid here");
        }
        String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : "unreadable body";
        return ApiException.of(ProblemType.MALFORMED_JSON, "malformed JSON: " + withoutTypes(msg));
    }

    private static String wire(Enum<?> e) {
        return MAPPER.convertValue(e, String.class);
    }

    /** Jackson quotes Java types in backticks; the client never needs them. */
    private static String withoutTypes(String message) {
        return message.replaceAll("\\(?(for|bound as|of type|from|value of type)? ?`[^`]*`\\)?", "").replaceAll(" {2,}", " ")
                .trim();
    }

    private static String jsonType(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == String.class || type == UUID.class || type == Instant.class || Enum.class.isAssignableFrom(type)) {
            String what = type == UUID.class ? " (a UUID)" : type == Instant.class
                    ? " (an RFC 3339 date-time such as 2026-01-01T00:00:00Z)" : "";
            return "a string" + what;
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** An instant a client sent outside {@link #MIN_INSTANT}..{@link #MAX_INSTANT}. */
    private static final class OutOfRange extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        OutOfRange(JsonParser p, String message) {
            super(p, message);
        }
    }

    /** Jackson's own ISO-8601 reading of instants, then the range every store and client can hold. */
    private static final class BoundedInstants extends StdDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        BoundedInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Instant value = InstantDeserializer.INSTANT.deserialize(p, ctxt);
            if (value != null && (value.isBefore(MIN_INSTANT) || value.isAfter(MAX_INSTANT))) {
                throw new OutOfRange(p, "must be a date-time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
            }
            return value;
        }
    }
}
