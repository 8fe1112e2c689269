package dev.kino.control.billing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Stripe API (a JDK {@link HttpServer} on 127.0.0.1, a free port): records every request
 * (method, path, form parameters as Stripe's form encoding names them, e.g. {@code line_items[0][price]}, and the
 * Authorization header) and answers the few creates billing makes with JSON shaped like Stripe's. The API base of
 * the configuration points here, so nothing leaves the machine.
 */
final class StripeStandIn implements AutoCloseable {
    /** One recorded request. */
    record Call(String method, String path, Map<String, String> form, String authorization, String idempotencyKey) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    private final HttpServer server;

    StripeStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            calls.add(new Call(exchange.getRequestMethod(), path, form(body),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key")));
            int n = seq.incrementAndGet();
            String json;
            int status = 200;
            if (path.startsWith("/v1/subscriptions/") && exchange.getRequestMethod().equals("DELETE")) {
                // cancel: a ref containing "unavailable" stands for Stripe failing (500), "gone" for an unknown one
                String sub = path.substring("/v1/subscriptions/".length());
                path = sub.contains("unavailable") ? "(500)" : sub.contains("gone") ? "(404)" : "(cancel)";
                if (path.equals("(cancel)")) {
                    path = "/v1/subscriptions/{id}";
                }
                json = null;
            }
            switch (path) {
                case "/v1/subscriptions/{id}" -> json = "{\"id\":\"" + exchange.getRequestURI().getPath().substring(18)
                        + "\",\"object\":\"subscription\",\"status\":\"canceled\"}";
                case "(500)" -> {
                    status = 500;
                    json = "{\"error\":{\"type\":\"api_error\",\"message\":\"stand-in failure\"}}";
                }
                case "/v1/prices" -> json = "{\"id\":\"price_standin_" + n + "\",\"object\":\"price\",\"active\":true,"
                        + "\"type\":\"recurring\",\"livemode\":false}";
                case "/v1/coupons" -> json = "{\"id\":\"coupon_standin_" + n + "\",\"object\":\"coupon\",\"valid\":true}";
                case "/v1/checkout/sessions" -> json = "{\"id\":\"cs_test_standin_" + n + "\",\"object\":\"checkout.session\","
                        + "\"mode\":\"subscription\",\"status\":\"open\",\"url\":\"https://checkout.stripe.test/c/pay/cs_test_standin_"
                        + n + "\"}";
                case "/v1/billing_portal/sessions" -> json = "{\"id\":\"bps_standin_" + n + "\",\"object\":\"billing_portal.session\","
                        + "\"url\":\"https://billing.stripe.test/p/session/bps_standin_" + n + "\"}";
                default -> {
                    status = 404;
                    json = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}";
                }
            }
            byte[] out = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Request-Id", "req_standin_" + n);
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    /** @return the base URL to configure as {@code billing.stripe.apiBase} */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return the recorded calls to a path */
    List<Call> calls(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
