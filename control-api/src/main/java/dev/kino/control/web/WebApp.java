package dev.kino.control.web;

import dev.kino.http.Conditional;
import dev.kino.http.ContentCoding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The web app's static files, read once at start-up into an immutable in-memory index and answered from
 * memory (the whole app plus the two player libraries is a few megabytes), so serving never touches the
 * file system and never blocks an event loop.
 *
 * <p><b>Path traversal is impossible by construction:</b> a request path is only ever used as a key into
 * the index built at start-up from the packaged {@code kino-web/} folder; it is never joined to a file
 * system path. Names that are not plain ({@code [A-Za-z0-9._-]}, not starting with a dot) are neither
 * indexed nor looked up.
 *
 * <p>App routes ({@code /title/…}, {@code /watch/…}, …, see {@link #APP_ROUTES}) answer {@code index.html}
 * so that deep links and reloads work with the History API; anything else that is not a file is not the
 * web app's and {@link #resolve} returns empty (the API answers its own 404). {@code /api/…} is never the
 * web app's.
 *
 * <p>Caching: files under {@code vendor/} have the library version in their path and are
 * {@code immutable} for a year; everything else is {@code no-cache} (revalidated with its strong ETag, a
 * cheap 304), so a new release is picked up on the next load.
 *
 * <pre>{@code
 * WebApp web = WebApp.fromClasspath();              // kino-web/ packaged in the control API jar
 * Optional<Asset> a = web.resolve("/title/42");     // -> index.html
 * WebApp.Reply r = web.respond("GET", "/js/app.js", ifNoneMatch, acceptEncoding);
 * }</pre>
 */
public final class WebApp {
    /** Classpath folder the build copies {@code web/} and the player libraries into. */
    public static final String CLASSPATH_ROOT = "kino-web";
    /**
     * First path segments of the app's client-side routes besides {@code /} (kept in step with
     * {@code web/js/app.js}). Only these fall back to {@code index.html}; other unknown paths stay 404s of the API.
     */
    public static final Set<String> APP_ROUTES = Set.of("browse", "search", "title", "watch", "login",
            "register", "watchlist", "account", "admin", "verify-email", "reset-password", "forum", "users",
            "moderation", "notifications", "unsubscribe", "plans", "profiles");
    /** Files larger than this are not held gzip-compressed (none are, today). */
    private static final int GZIP_MIN = 1024;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String REVALIDATE = "no-cache";
    /**
     * Policy of the HTML shell. Scripts and styles only from this origin (no inline script, no eval);
     * media, key, licence and thumbnail requests go to the media server, another origin, so
     * connect/media/img allow http(s); hls.js runs its transmuxer in a blob: worker; nothing may frame the app.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob: http: https:; media-src 'self' blob: http: https:; "
            + "connect-src 'self' http: https:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("vtt", "text/vtt; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/plain; charset=utf-8"));
    private static final Set<String> COMPRESSIBLE = Set.of("html", "js", "mjs", "css", "json", "webmanifest", "map",
            "svg", "vtt", "txt", "md", "");

    private final Map<String, Asset> assets;
    private final Asset index;

    private WebApp(Map<String, byte[]> files) {
        Map<String, Asset> m = new TreeMap<>();
        files.forEach((path, bytes) -> m.put(path, asset(path, bytes)));
        this.assets = Collections.unmodifiableMap(m);
        this.index = m.get("index.html");
        if (index == null) {
            throw new IllegalStateException("the web app has no index.html (was web/ packaged into "
                    + CLASSPATH_ROOT + "/ by the control-api build?)");
        }
    }

    /**
     * @return the app packaged in the control API jar under {@value #CLASSPATH_ROOT}/
     * @throws IllegalStateException when it is not on the classpath
     */
    public static WebApp fromClasspath() {
        return fromClasspath(WebApp.class.getClassLoader(), CLASSPATH_ROOT);
    }

    /**
     * @param loader class loader to look in
     * @param root folder on the classpath holding {@code index.html}
     * @return the app under {@code root}
     */
    public static WebApp fromClasspath(ClassLoader loader, String root) {
        URL marker = loader.getResource(root + "/index.html");
        if (marker == null) {
            throw new IllegalStateException("no " + root + "/index.html on the classpath");
        }
        try {
            if ("file".equals(marker.getProtocol())) {
                return fromDirectory(Paths.get(marker.toURI()).getParent());
            }
            URLConnection c = marker.openConnection();
            if (c instanceof JarURLConnection jar) {
                jar.setUseCaches(false);
                try (JarFile jf = jar.getJarFile()) {
                    return new WebApp(readJar(jf, root + "/"));
                }
            }
            throw new IllegalStateException("cannot list " + marker + " (neither a folder nor a jar)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web app at " + marker, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the web app at " + marker, e);
        }
    }

    /**
     * Reads a folder once (a snapshot: later changes are not seen). Useful in development and tests.
     *
     * @param dir folder holding {@code index.html}
     * @return the app in {@code dir}
     */
    public static WebApp fromDirectory(Path dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                // NOTE: symbolic links are not followed (Files.walk default), and only regular files are read.
                if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (plain(rel)) {
                    files.put(rel, Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web app in " + dir, e);
        }
        return new WebApp(files);
    }

    private static Map<String, byte[]> readJar(JarFile jf, String prefix) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Enumeration<JarEntry> entries = jf.entries();
        while (entries.hasMoreElements()) {
            JarEntry e = entries.nextElement();
            if (e.isDirectory() || !e.getName().startsWith(prefix)) {
                continue;
            }
            String rel = e.getName().substring(prefix.length());
            if (plain(rel)) {
                try (InputStream in = jf.getInputStream(e)) {
                    files.put(rel, in.readAllBytes());
                }
            }
        }
        return files;
    }

    /** @return whether every segment of a relative path is a plain name (no empty, dot or dot-dot segment) */
    static boolean plain(String rel) {
        if (rel.isEmpty()) {
            return false;
        }
        for (String seg : rel.split("/", -1)) {
            if (!SEGMENT.matcher(seg).matches()) {
                return false;
            }
        }
        return true;
    }

    /** @return every file of the app, by path (for tests and diagnostics) */
    public Map<String, Asset> assets() {
        return assets;
    }

    /**
     * Finds what a request path names.
     *
     * @param requestPath the path of the request URI (a query or fragment is ignored), e.g. {@code /js/app.js}
     * @return the file, {@code index.html} for {@code /} and the app's routes, or empty when the path is not
     *         the web app's (including every {@code /api/} path and every malformed path)
     */
    public Optional<Asset> resolve(String requestPath) {
        if (requestPath == null || !requestPath.startsWith("/")) {
            return Optional.empty();
        }
        String p = requestPath;
        int q = indexOfAny(p, '?', '#');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        if (p.equals("/api") || p.startsWith("/api/")) {
            return Optional.empty();
        }
        String rel = p.substring(1);
        if (rel.isEmpty()) {
            return Optional.of(index);
        }
        // Exact file: a pure map lookup. Percent-escapes never match (no file name has a '%').
        Asset a = assets.get(rel);
        if (a != null) {
            return Optional.of(a);
        }
        // Client-side route: first segment is one of the app's, and the rest looks like route parameters
        // (no dot in the last segment, so a mistyped asset such as /title/x.js stays a 404).
        String first = rel.contains("/") ? rel.substring(0, rel.indexOf('/')) : rel;
        String last = rel.substring(rel.lastIndexOf('/') + 1);
        if (APP_ROUTES.contains(first) && !last.contains(".")) {
            return Optional.of(index);
        }
        return Optional.empty();
    }

    /**
     * An HTTP answer, independent of the server library.
     *
     * @param status 200, 304 or 405
     * @param headers headers to send (Content-Length included)
     * @param body bytes to send (empty for HEAD, 304 and 405)
     */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
    }

    /**
     * Answers a request for the web app with conditional GET ({@code If-None-Match}), gzip when accepted,
     * HEAD, and the security headers of the HTML shell.
     *
     * @param method request method
     * @param uri request URI (path and query)
     * @param ifNoneMatch {@code If-None-Match} header, or null
     * @param acceptEncoding {@code Accept-Encoding} header, or null
     * @return the answer, or null when the path is not the web app's (let the API answer)
     */
    public Reply respond(String method, String uri, String ifNoneMatch, String acceptEncoding) {
        Optional<Asset> found = resolve(uri);
        if (found.isEmpty()) {
            return null;
        }
        Asset a = found.get();
        Map<String, String> h = new LinkedHashMap<>();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            h.put("Allow", "GET, HEAD");
            h.put("Content-Length", "0");
            return new Reply(405, h, new byte[0]);
        }
        h.put("ETag", a.etag());
        h.put("Cache-Control", a.cacheControl());
        h.put("X-Content-Type-Options", "nosniff");
        if (a.gzip() != null) {
            h.put("Vary", "Accept-Encoding");
        }
        if (a.isDocument()) {
            h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            // Playback URLs carry signed tokens: never leak them (or app paths) in a Referer.
            h.put("Referrer-Policy", "no-referrer");
            h.put("X-Frame-Options", "DENY");
        }
        if (Conditional.noneMatchFails(ifNoneMatch, a.etag())) {
            return new Reply(304, h, new byte[0]);
        }
        byte[] body = a.body();
        if (a.gzip() != null && ContentCoding.prefersGzip(acceptEncoding)) {
            body = a.gzip();
            h.put("Content-Encoding", "gzip");
        }
        h.put("Content-Type", a.contentType());
        h.put("Content-Length", Integer.toString(body.length));
        return new Reply(200, h, head ? new byte[0] : body);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static Asset asset(String path, byte[] bytes) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        String type = TYPES.getOrDefault(ext, ext.isEmpty() ? "text/plain; charset=utf-8" : "application/octet-stream");
        byte[] gz = COMPRESSIBLE.contains(ext) && bytes.length >= GZIP_MIN ? ContentCoding.gzip(bytes) : null;
        if (gz != null && gz.length >= bytes.length * 9L / 10) {
            gz = null;
        }
        String cache = path.startsWith("vendor/") ? IMMUTABLE : REVALIDATE;
        return new Asset(path, bytes, gz, type, etag(bytes), cache);
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 27) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** @return the paths of the app's files, sorted */
    public List<String> paths() {
        return List.copyOf(assets.keySet());
    }
}
