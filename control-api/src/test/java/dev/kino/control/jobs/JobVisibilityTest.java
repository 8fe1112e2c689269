package dev.kino.control.jobs;

import dev.kino.common.packaging.Protection;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestAccounts;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An editor sees, cancels and retries the jobs they queued; only {@code jobs.manage} (admins) sees everyone's. */
class JobVisibilityTest {
    static Jdbi jdbi;
    static Catalog catalog;
    static FeatureServer server;
    static Http http;
    static String editorRole;

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        catalog = new Catalog(jdbi, Clock.systemUTC());
        server = FeatureServer.start(SharedDatabase.config(), r -> JobRoutes.register(r, new JobQueue(catalog.lifecycle()),
                Protection.AES_128, FeatureServer.access(jdbi)));
        http = server.http();
        editorRole = "editor-" + UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("insert into roles (name, description, permissions) values (:n, 'test editor',"
                + " '{catalog.read,catalog.write}')").bind("n", editorRole).execute());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static UUID mediaWithSource() {
        UUID title = jdbi.inTransaction(h -> catalog.createTitle(h, new TitleInput("movie", "Visibility " + UUID.randomUUID(),
                null, null, null, null, null, null, null, null, null)));
        UUID id = catalog.createMedia(title, new MediaInput(null, null, null, null, null, null, null, null, null, null,
                null, null)).id();
        catalog.lifecycle().replaceSource(id, "/incoming/" + id + ".mkv");
        return id;
    }

    @Test
    void editorsSeeOnlyTheirOwnJobs() {
        String alice = TestAccounts.create(jdbi, editorRole, "all").token();
        String bob = TestAccounts.create(jdbi, editorRole, "all").token();
        String admin = TestAccounts.admin(jdbi).token();
        Http.Resp queued = http.post("/api/v1/media/" + mediaWithSource() + "/package", alice, Map.of());
        assertEquals(202, queued.status(), queued.text());
        String job = queued.json().get("id").asText();

        assertTrue(http.get("/api/v1/jobs?limit=100", alice).text().contains(job), "the author lists it");
        assertEquals(200, http.get("/api/v1/jobs/" + job, alice).status());
        assertEquals(200, http.get("/api/v1/jobs/" + job + "/log", alice).status());

        assertFalse(http.get("/api/v1/jobs?limit=100", bob).text().contains(job), "another editor does not list it");
        assertEquals(404, http.get("/api/v1/jobs/" + job, bob).status());
        assertEquals(404, http.get("/api/v1/jobs/" + job + "/log", bob).status());
        assertEquals(404, http.post("/api/v1/jobs/" + job + "/cancel", bob, Map.of()).status());
        assertEquals(404, http.post("/api/v1/jobs/" + job + "/retry", bob, Map.of()).status());

        assertEquals(200, http.get("/api/v1/jobs/" + job, admin).status(), "jobs.manage sees every job");
        assertTrue(http.get("/api/v1/jobs?limit=100", admin).text().contains(job));
        assertEquals(200, http.post("/api/v1/jobs/" + job + "/cancel", alice, Map.of()).status(), "the author cancels");
    }
}
