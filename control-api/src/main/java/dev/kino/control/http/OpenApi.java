package dev.kino.control.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kino.control.http.internal.SchemaGenerator;
import io.netty.handler.codec.http.HttpMethod;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The OpenAPI 3.0 document of a {@link Router}, generated from its route table and the Java types of
 * each route's bodies, so it cannot drift from what is served. {@link #register} serves it at
 * {@value #PATH}.
 */
public final class OpenApi {
    /** Where the document is served. */
    public static final String PATH = "/api/v1/openapi.json";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Map<Integer, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"), Map.entry(204, "No content"),
            Map.entry(400, "Malformed request"), Map.entry(401, "Missing, invalid or expired credentials"),
            Map.entry(403, "Not permitted"), Map.entry(404, "Not found"), Map.entry(405, "Method not allowed"),
            Map.entry(409, "Conflict with the current state"), Map.entry(413, "Body too large"),
            Map.entry(415, "Body is not JSON"), Map.entry(422, "Invalid fields"), Map.entry(429, "Rate limited"),
            Map.entry(500, "Unexpected error"), Map.entry(503, "Busy"));

    private OpenApi() {
    }

    /** Adds {@code GET /api/v1/openapi.json} to the router. */
    public static void register(Router router, String title, String version, String serverUrl) {
        router.route(HttpMethod.GET, PATH).operationId("getOpenApi").summary("This OpenAPI document").tag("meta")
                .response(200, ObjectNode.class)
                .handler(req -> Response.ok(generate(router, title, version, serverUrl)));
    }

    /** @return the document for every route of the router */
    public static ObjectNode generate(Router router, String title, String version, String serverUrl) {
        SchemaGenerator schemas = new SchemaGenerator();
        ObjectNode problemRef = schemas.ref(Problem.class);
        ObjectNode doc = F.objectNode().put("openapi", "3.0.3");
        doc.putObject("info").put("title", title).put("version", version);
        doc.putArray("servers").addObject().put("url", serverUrl);
        ObjectNode paths = doc.putObject("paths");
        TreeSet<String> tags = new TreeSet<>();
        for (Route route : router.routes()) {
            Route.Doc d = route.doc();
            tags.add(d.tag());
            ObjectNode pathItem = paths.has(route.template()) ? (ObjectNode) paths.get(route.template())
                    : paths.putObject(route.template());
            ObjectNode op = pathItem.putObject(route.method().name().toLowerCase(Locale.ROOT));
            op.put("operationId", d.operationId()).put("summary", d.summary());
            op.putArray("tags").add(d.tag());
            ArrayNode params = F.arrayNode();
            for (String p : Router.pathParams(route.template())) {
                params.addObject().put("name", p).put("in", "path").put("required", true)
                        .putObject("schema").put("type", "string");
            }
            for (Route.QueryParam q : d.queryParams()) {
                params.addObject().put("name", q.name()).put("in", "query").put("required", false)
                        .put("description", q.description()).putObject("schema").put("type", q.type());
            }
            if (!params.isEmpty()) {
                op.set("parameters", params);
            }
            if (d.requestType() != null) {
                op.putObject("requestBody").put("required", true).putObject("content")
                        .putObject("application/json").set("schema", schemas.schema(d.requestType()));
            }
            ObjectNode responses = op.putObject("responses");
            ObjectNode ok = responses.putObject(String.valueOf(d.status()))
                    .put("description", DESCRIPTIONS.getOrDefault(d.status(), "Success"));
            if (d.responseType() != null) {
                ObjectNode schema = d.pageOf() != null ? pageSchema(schemas, d.pageOf()) : schemas.schema(d.responseType());
                ObjectNode content = ok.putObject("content");
                content.putObject("application/json").set("schema", schema);
                if (d.csv()) {
                    content.putObject("text/csv").putObject("schema").put("type", "string")
                            .put("description", "the same figures as a CSV table (RFC 4180) with a header row");
                }
            }
            Map<Integer, Boolean> errors = new LinkedHashMap<>();
            if (d.requestType() != null) {
                errors.put(400, true);
                errors.put(413, true);
                errors.put(415, true);
                errors.put(422, true);
            }
            if (d.authenticated()) {
                errors.put(401, true);
                op.putArray("security").addObject().putArray("bearerAuth");
            }
            d.errors().forEach(e -> errors.put(e, true));
            errors.put(500, true);
            new TreeSet<>(errors.keySet()).forEach(status -> responses.putObject(String.valueOf(status))
                    .put("description", DESCRIPTIONS.getOrDefault(status, "Error"))
                    .putObject("content").putObject("application/problem+json").set("schema", problemRef.deepCopy()));
        }
        ArrayNode tagList = doc.putArray("tags");
        tags.forEach(t -> tagList.addObject().put("name", t));
        ObjectNode components = doc.putObject("components");
        ObjectNode schemaNode = components.putObject("schemas");
        schemas.components().forEach(schemaNode::set);
        components.putObject("securitySchemes").putObject("bearerAuth")
                .put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT");
        return doc;
    }

    private static ObjectNode pageSchema(SchemaGenerator schemas, Class<?> item) {
        ObjectNode page = F.objectNode().put("type", "object");
        ObjectNode props = page.putObject("properties");
        props.putObject("items").put("type", "array").set("items", schemas.schema(item));
        props.putObject("next").put("type", "string").put("nullable", true)
                .put("description", "cursor of the next page; absent on the last");
        return schemas.define("PageOf" + item.getSimpleName(), page);
    }
}
