package dev.kino.control.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * OpenAPI 3.0 schemas from the Java types the handlers really read and write: records become objects
 * (one component each, referenced by {@code $ref}), collections arrays, enums string enums.
 */
public final class SchemaGenerator {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final Map<String, ObjectNode> components = new TreeMap<>();

    /** @return a schema for the type, registering components for the records it reaches */
    public ObjectNode schema(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                return F.objectNode().put("type", "array").set("items", schema(p.getActualTypeArguments()[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return F.objectNode().put("type", "object").set("additionalProperties", schema(p.getActualTypeArguments()[1]));
            }
            return schema(raw);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class || c == char.class) {
            return F.objectNode().put("type", "string");
        }
        if (c == boolean.class || c == Boolean.class) {
            return F.objectNode().put("type", "boolean");
        }
        if (c == int.class || c == Integer.class || c == short.class || c == Short.class) {
            return F.objectNode().put("type", "integer").put("format", "int32");
        }
        if (c == long.class || c == Long.class) {
            return F.objectNode().put("type", "integer").put("format", "int64");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return F.objectNode().put("type", "number");
        }
        if (c == Instant.class) {
            return F.objectNode().put("type", "string").put("format", "date-time");
        }
        if (c == LocalDate.class) {
            return F.objectNode().put("type", "string").put("format", "date");
        }
        if (c == UUID.class) {
            return F.objectNode().put("type", "string").put("format", "uuid");
        }
        if (c == URI.class) {
            return F.objectNode().put("type", "string").put("format", "uri");
        }
        if (c.isEnum()) {
            ObjectNode s = F.objectNode().put("type", "string");
            for (Object constant : c.getEnumConstants()) {
                s.withArray("enum").add(constant.toString());
            }
            return s;
        }
        if (c.isArray()) {
            return F.objectNode().put("type", "array").set("items", schema(c.getComponentType()));
        }
        if (c.isRecord()) {
            return ref(c);
        }
        if (JsonNode.class.isAssignableFrom(c) || c == Object.class) {
            return F.objectNode().put("type", "object");
        }
        throw new IllegalArgumentException("no OpenAPI schema for " + c.getName()
                + "; API bodies are records, strings, numbers, booleans, instants, UUIDs, enums and lists");
    }

    /** @return a {@code $ref} to the component of a record, generating it once */
    public ObjectNode ref(Class<?> record) {
        String name = record.getSimpleName();
        if (!components.containsKey(name)) {
            ObjectNode s = F.objectNode().put("type", "object");
            components.put(name, s); // registered before recursing, so cycles terminate
            ObjectNode props = s.putObject("properties");
            for (RecordComponent rc : record.getRecordComponents()) {
                props.set(rc.getName(), schema(rc.getGenericType()));
            }
        }
        return F.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    /** Registers a named component directly. */
    public ObjectNode define(String name, ObjectNode schema) {
        components.putIfAbsent(name, schema);
        return F.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    /** @return every component generated so far */
    public Map<String, ObjectNode> components() {
        return components;
    }
}
