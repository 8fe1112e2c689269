package dev.kino.control.http;

import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenApiTest {

    @Test
    void documentParsesAndCoversEveryRoute() {
        Http.Resp r = TestApi.http().get(OpenApi.PATH, null);
        assertEquals(200, r.status());
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(r.text(), null, null);
        assertEquals(List.of(), parsed.getMessages() == null ? List.of() : parsed.getMessages());
        OpenAPI api = parsed.getOpenAPI();
        assertNotNull(api);
        assertTrue(api.getPaths().size() >= 14, "paths: " + api.getPaths().keySet());
        // every route the server answers is in the document, with its method, and nothing else is
        String[][] expected = {
                {"POST", "/api/v1/auth/register"}, {"POST", "/api/v1/auth/login"}, {"POST", "/api/v1/auth/refresh"},
                {"POST", "/api/v1/auth/logout"}, {"POST", "/api/v1/auth/verify-email"},
                {"POST", "/api/v1/auth/password-reset"}, {"POST", "/api/v1/auth/password-reset/confirm"},
                {"GET", "/api/v1/me"}, {"PATCH", "/api/v1/me"}, {"GET", "/api/v1/me/sessions"},
                {"DELETE", "/api/v1/me/sessions/{id}"}, {"GET", "/api/v1/admin/roles"}, {"POST", "/api/v1/admin/roles"},
                {"DELETE", "/api/v1/admin/roles/{name}"}, {"GET", "/api/v1/admin/users/{id}"},
                {"PUT", "/api/v1/admin/users/{id}/roles"}, {"POST", "/api/v1/admin/users/{id}/ban"},
                {"DELETE", "/api/v1/admin/users/{id}/ban"}, {"GET", "/api/v1/openapi.json"},
                {"GET", "/api/v1/me/mfa"}, {"POST", "/api/v1/me/mfa/totp"}, {"POST", "/api/v1/me/mfa/totp/confirm"},
                {"DELETE", "/api/v1/me/mfa/totp"}, {"POST", "/api/v1/me/mfa/recovery-codes"},
                {"POST", "/api/v1/auth/login/mfa"}, {"GET", "/api/v1/me/passkeys"},
                {"POST", "/api/v1/me/passkeys/registration"}, {"POST", "/api/v1/me/passkeys"},
                {"DELETE", "/api/v1/me/passkeys/{id}"}, {"POST", "/api/v1/auth/passkey/options"},
                {"POST", "/api/v1/auth/passkey"}, {"POST", "/api/v1/me/password"}, {"POST", "/api/v1/me/email"},
                {"POST", "/api/v1/me/email/verification"}, {"DELETE", "/api/v1/me"},
                {"POST", "/api/v1/me/deletion/cancel"}, {"GET", "/api/v1/me/export"},
                // admin console (#16)
                {"GET", "/api/v1/admin/users"}, {"DELETE", "/api/v1/admin/users/{id}/sessions"},
                {"DELETE", "/api/v1/admin/users/{id}/sessions/{sessionId}"}, {"GET", "/api/v1/admin/audit-log"},
                {"PATCH", "/api/v1/admin/plans/{id}"}, {"PUT", "/api/v1/admin/media/{id}/schedule"},
                {"PUT", "/api/v1/admin/titles/{id}/schedule"}, {"GET", "/api/v1/admin/scheduled"},
                {"PUT", "/api/v1/titles/{id}/poster"}, {"DELETE", "/api/v1/titles/{id}/poster"}};
        int operations = 0;
        for (var path : api.getPaths().entrySet()) {
            for (var op : path.getValue().readOperationsMap().entrySet()) {
                operations++;
                // Every documented operation is one the server routes: not "no resource at" (404) nor 405.
                String concrete = path.getKey().replaceAll("\\{[^}]+}", java.util.UUID.randomUUID().toString());
                Http.Resp answer = TestApi.http().raw(op.getKey().name(), concrete, "application/json", new byte[0]);
                assertTrue(answer.status() != 405 && !(answer.status() == 404
                                && answer.text().contains("no resource at")),
                        op.getKey() + " " + path.getKey() + " is documented but not routed: " + answer.status() + " " + answer.text());
            }
        }
        assertTrue(operations >= expected.length, "operations: " + operations);
        for (String[] e : expected) {
            PathItem item = api.getPaths().get(e[1]);
            assertNotNull(item, e[1]);
            Operation op = item.readOperationsMap().get(PathItem.HttpMethod.valueOf(e[0]));
            assertNotNull(op, e[0] + " " + e[1]);
            assertNotNull(op.getSummary());
            assertNotNull(op.getResponses().get("500"));
        }
        Operation login = api.getPaths().get("/api/v1/auth/login").getPost();
        assertEquals("#/components/schemas/LoginRequest",
                login.getRequestBody().getContent().get("application/json").getSchema().get$ref());
        assertNotNull(login.getResponses().get("429"));
        var loginResponse = api.getComponents().getSchemas().get("LoginResponse").getProperties();
        assertNotNull(loginResponse.get("mfaRequired"));
        assertNotNull(loginResponse.get("challenge"));
        assertNotNull(loginResponse.get("accessToken"));
        assertNotNull(api.getComponents().getSchemas().get("TokenResponse").getProperties().get("refreshToken"));
        assertNotNull(api.getPaths().get("/api/v1/me").getGet().getSecurity());
        assertNotNull(api.getComponents().getSchemas().get("PageOfSessionView"));
        assertNotNull(api.getComponents().getSchemas().get("PageOfEntry"), "the audit log's page");
        assertNotNull(api.getComponents().getSchemas().get("Me").getProperties().get("deletion"));
    }
}
