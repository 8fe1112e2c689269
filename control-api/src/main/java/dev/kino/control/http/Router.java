package dev.kino.control.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;

/**
 * Method + path template routing. Templates are {@code /}-separated literal segments and
 * {@code {name}} parameters matching one non-empty segment; a literal beats a parameter at the same
 * position, so {@code /me/sessions} wins over {@code /me/{x}}. An unknown path answers 404; a known
 * path with another method answers 405 with {@code Allow}. Handlers run on the server's blocking pool unless the
 * route names an executor of its own ({@link RouteBuilder#executor}).
 *
 * <pre>{@code
 * router.route(HttpMethod.GET, "/api/v1/titles/{id}")
 *       .summary("Read a title").tag("catalog").response(200, TitleView.class)
 *       .handler(req -> Response.ok(titles.get(req.pathUuid("id"))));
 * }</pre>
 */
public final class Router {
    private final List<Route> routes = new ArrayList<>();
    /**
     * {@link #routes} most specific first, sorted once after the last change rather than on every request (sorting
     * some hundred routes per request was 7 % of a vote's CPU in {@code control-api/BENCHMARK.md}'s profile).
     */
    private volatile List<Compiled> byPrecedence;

    /** A route with its template split once (splitting every template on every request was 10 % of a vote's CPU). */
    private record Compiled(Route route, List<String> segments) {
    }

    /** @return a builder that registers the route when its handler is given */
    public RouteBuilder route(HttpMethod method, String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with /: " + template);
        }
        return new RouteBuilder(this, method, template);
    }

    void add(Route route) {
        for (Route r : routes) {
            if (r.method().equals(route.method()) && sameShape(r.segments(), route.segments())) {
                throw new IllegalArgumentException("duplicate route " + route.method() + " " + route.template()
                        + " (clashes with " + r.template() + ")");
            }
            if (r.doc().operationId().equals(route.doc().operationId())) {
                throw new IllegalArgumentException("duplicate operationId " + r.doc().operationId());
            }
        }
        routes.add(route);
        byPrecedence = null;
    }

    /**
     * Wraps the handler of a registered route in a guard declared apart from it (a check the configuration turns on
     * for several features' routes), and documents the statuses the guard may answer.
     *
     * @param operationId the route's operation id
     * @param decorator makes the guarded handler from the route's own
     * @param errors problem statuses the guard adds
     * @throws IllegalArgumentException when no route has that operation id
     */
    public void decorate(String operationId, java.util.function.UnaryOperator<Handler> decorator, int... errors) {
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            if (r.doc().operationId().equals(operationId)) {
                Set<Integer> all = new TreeSet<>(r.doc().errors());
                for (int e : errors) {
                    all.add(e);
                }
                Route.Doc d = r.doc();
                routes.set(i, new Route(r.method(), r.template(), Objects.requireNonNull(decorator.apply(r.handler())),
                        r.executor(), new Route.Doc(d.operationId(), d.summary(), d.tag(), d.authenticated(),
                                d.requestType(), d.status(), d.responseType(), d.pageOf(), d.queryParams(),
                                List.copyOf(all))));
                byPrecedence = null;
                return;
            }
        }
        throw new IllegalArgumentException("no route with operationId " + operationId);
    }

    /** @return every route, in registration order */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * A matched route and its path parameters.
     *
     * @param route the route
     * @param params path parameter values
     */
    public record Match(Route route, Map<String, String> params) {
    }

    /**
     * @return the best route for the request
     * @throws ApiException 404 when no template matches the path, 405 (with {@code Allow}) when only
     *                      other methods do
     */
    public Match resolve(HttpMethod method, String path) {
        Match best = match(method, path);
        if (best != null) {
            return best;
        }
        Set<String> allowed = new TreeSet<>();
        List<String> parts = split(path);
        for (Compiled c : byPrecedence()) {
            if (!c.route().method().equals(method) && match(c.segments(), parts) != null) {
                allowed.add(c.route().method().name());
            }
        }
        if (allowed.isEmpty()) {
            throw ApiException.of(ProblemType.NOT_FOUND, "no resource at " + path);
        }
        throw ApiException.of(ProblemType.METHOD_NOT_ALLOWED, method + " is not allowed on " + path
                + "; allowed: " + String.join(", ", allowed)).withHeader("Allow", String.join(", ", allowed));
    }

    /**
     * The best route for the request, or null, without building the 404 or 405 problem {@link #resolve} throws: a
     * few string comparisons per route, cheap enough for the connection's event loop, where the runtime looks up
     * which executor a request goes to ({@link RouteBuilder#executor}).
     *
     * @param method the request's method
     * @param path the percent-decoded path, without the query string
     * @return the most specific route of that method whose template matches the path, with its path parameters; null
     *         when there is none (then {@link #resolve} says whether that is a 404 or a 405)
     */
    public Match match(HttpMethod method, String path) {
        List<String> parts = split(path);
        for (Compiled c : byPrecedence()) {
            if (c.route().method().equals(method)) {
                Map<String, String> params = match(c.segments(), parts);
                if (params != null) {
                    return new Match(c.route(), params);
                }
            }
        }
        return null;
    }

    private List<Compiled> byPrecedence() {
        List<Compiled> candidates = byPrecedence;
        if (candidates == null) {
            List<Route> sorted = new ArrayList<>(routes);
            sorted.sort(Comparator.comparing(Router::specificity).reversed()); // stable: registration order breaks ties
            candidates = sorted.stream().map(r -> new Compiled(r, List.copyOf(r.segments()))).toList();
            byPrecedence = candidates;
        }
        return candidates;
    }

    /** Literal segments count more, earlier ones most, so the most specific template is tried first. */
    private static String specificity(Route r) {
        StringBuilder sb = new StringBuilder();
        for (String s : r.segments()) {
            sb.append(isParam(s) ? '0' : '1');
        }
        return sb.toString();
    }

    private static Map<String, String> match(List<String> template, List<String> parts) {
        if (template.size() != parts.size()) {
            return null;
        }
        // literals and empty segments first, without allocating: most templates of the same length do not match
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String p = parts.get(i);
            if (isParam(t) ? p.isEmpty() : !t.equals(p)) {
                return null;
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (isParam(t)) {
                params.put(t.substring(1, t.length() - 1), parts.get(i));
            }
        }
        return params;
    }

    private static boolean sameShape(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            boolean pa = isParam(a.get(i));
            if (pa != isParam(b.get(i)) || (!pa && !a.get(i).equals(b.get(i)))) {
                return false;
            }
        }
        return true;
    }

    static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    static List<String> split(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        List<String> out = new ArrayList<>(List.of(p.substring(1).split("/", -1)));
        if (out.size() == 1 && out.get(0).isEmpty()) {
            return List.of();
        }
        return out;
    }

    /** @return names of the parameters of a template, in order */
    public static List<String> pathParams(String template) {
        Set<String> names = new LinkedHashSet<>();
        for (String s : split(template)) {
            if (isParam(s)) {
                names.add(s.substring(1, s.length() - 1));
            }
        }
        return List.copyOf(names);
    }

    /** Collects a route's metadata; {@link #handler} registers it. */
    public static final class RouteBuilder {
        private final Router router;
        private final HttpMethod method;
        private final String template;
        private String operationId;
        private String summary;
        private String tag = "default";
        private boolean authenticated;
        private Class<?> requestType;
        private int status = 200;
        private Class<?> responseType;
        private Class<?> pageOf;
        private final List<QueryParamBuilder> query = new ArrayList<>();
        private final List<Integer> errors = new ArrayList<>();
        private boolean csv;
        private Executor executor;

        private record QueryParamBuilder(String name, String type, String description) {
        }

        private RouteBuilder(Router router, HttpMethod method, String template) {
            this.router = router;
            this.method = method;
            this.template = template;
        }

        public RouteBuilder operationId(String id) {
            this.operationId = id;
            return this;
        }

        public RouteBuilder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public RouteBuilder tag(String tag) {
            this.tag = tag;
            return this;
        }

        /** Requires a bearer token; the principal is resolved before the handler runs. */
        public RouteBuilder authenticated() {
            this.authenticated = true;
            return this;
        }

        public RouteBuilder request(Class<?> type) {
            this.requestType = type;
            return this;
        }

        /** @param type JSON body type, or null for none (204) */
        public RouteBuilder response(int status, Class<?> type) {
            this.status = status;
            this.responseType = type;
            return this;
        }

        /** The response is a {@link Page} of {@code itemType}; adds {@code limit} and {@code cursor}. */
        public RouteBuilder page(Class<?> itemType) {
            this.status = 200;
            this.responseType = Page.class;
            this.pageOf = itemType;
            query.add(new QueryParamBuilder("limit", "integer",
                    "items per page, " + Page.MIN_LIMIT + " to " + Page.MAX_LIMIT + " (default " + Page.DEFAULT_LIMIT + ")"));
            query.add(new QueryParamBuilder("cursor", "string", "opaque cursor from the previous page's next"));
            return this;
        }

        public RouteBuilder query(String name, String type, String description) {
            query.add(new QueryParamBuilder(name, type, description));
            return this;
        }

        /** Documents that the success answer is also served as {@code text/csv} on {@code Accept: text/csv}. */
        public RouteBuilder csv() {
            this.csv = true;
            return this;
        }

        /** Documents problem statuses this route can answer. */
        public RouteBuilder errors(int... statuses) {
            for (int s : statuses) {
                errors.add(s);
            }
            return this;
        }

        /**
         * Runs this route's requests on {@code executor} instead of the server's blocking pool
         * ({@code control.blockingThreads}): the connection's event loop matches the route and hands the request
         * straight to it, and text checks, authentication, the handler and the JSON rendering of its answer run
         * there (one thread hand-off where a handler that passes its work on to a pool of its own with
         * {@link Response#later} makes two). As Armeria's {@code blockingTaskExecutor} and Helidon's per-route
         * executors, for routes whose work belongs on a pool of its own (CPU-bound search on a few threads per core).
         * Everything else is as on the blocking pool: problem answers, metrics, answers in request order.
         *
         * <p>When the executor refuses the request ({@code execute} throws
         * {@link java.util.concurrent.RejectedExecutionException}, as a {@link java.util.concurrent.ThreadPoolExecutor}
         * with a full bounded queue does), it is answered at once on the event loop: 503 {@code unavailable} with
         * {@code Retry-After}, the rejection's cause when that is a {@link dev.kino.control.UnavailableException}
         * (so the pool can name its queue and setting), else a generic one with {@code Retry-After: 1}.
         *
         * <p>NOTE: {@code execute} is called on the event loop: it must neither block nor run the task on the calling
         * thread (no caller-runs policy, no direct executor). A task found running on an event loop is answered 503
         * rather than blocking it, and logged.
         *
         * @param executor a bounded pool whose threads may block (JDBC for an optional bearer token is fine there)
         * @return this builder
         */
        public RouteBuilder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Registers the route. */
        public void handler(Handler handler) {
            Objects.requireNonNull(summary, () -> "route " + method + " " + template + " needs a summary");
            String id = operationId != null ? operationId : defaultOperationId();
            List<Route.QueryParam> qp = query.stream().map(q -> new Route.QueryParam(q.name, q.type, q.description)).toList();
            router.add(new Route(method, template, Objects.requireNonNull(handler), executor,
                    new Route.Doc(id, summary, tag, authenticated, requestType, status, responseType, pageOf, qp,
                            List.copyOf(errors), csv)));
        }

        private String defaultOperationId() {
            StringBuilder sb = new StringBuilder(method.name().toLowerCase(java.util.Locale.ROOT));
            for (String s : split(template)) {
                String w = isParam(s) ? "By" + s.substring(1, s.length() - 1) : s;
                for (String part : w.split("[^A-Za-z0-9]+")) {
                    if (!part.isEmpty()) {
                        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                    }
                }
            }
            return sb.toString();
        }
    }
}
