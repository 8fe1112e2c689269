package dev.kino.control.support;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.catalog.Access;
import dev.kino.control.http.Authenticator;
import dev.kino.control.http.ControlApiServer;
import dev.kino.control.http.OpenApi;
import dev.kino.control.http.Router;
import org.jdbi.v3.core.Jdbi;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * A real control API server on 127.0.0.1:0 with the routes a test registers: the other features'
 * (accounts, auth) through {@code routes} as they land, plus the catalogue half's, and the OpenAPI
 * document of them all.
 *
 * <pre>{@code
 * server = FeatureServer.start(SharedDatabase.config(), r -> CatalogRoutes.register(r, store, FeatureServer.access(jdbi)));
 * }</pre>
 */
public final class FeatureServer implements AutoCloseable {
    private final ControlApiServer server;
    private final Router router;
    private final Http http;

    private FeatureServer(ControlApiServer server, Router router) {
        this.server = server;
        this.router = router;
        this.http = new Http(server.port());
    }

    /** @return an {@link Access} over {@link TestAccounts} (principals are account ids) */
    public static Access access(Jdbi jdbi) {
        return new Access(jdbi, TestAccounts.AUTHENTICATOR, p -> (UUID) p);
    }

    public static FeatureServer start(KinoConfig config, Consumer<Router> routes) {
        return start(config, TestAccounts.AUTHENTICATOR, routes);
    }

    public static FeatureServer start(KinoConfig config, Authenticator authenticator, Consumer<Router> routes) {
        Router router = new Router();
        routes.accept(router);
        OpenApi.register(router, "Kino control API", "test", "http://127.0.0.1");
        return new FeatureServer(ControlApiServer.start(config.control(), router, authenticator), router);
    }

    public Http http() {
        return http;
    }

    public Router router() {
        return router;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
