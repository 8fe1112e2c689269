package dev.kino.app.edge;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Debian's nginx running {@code config/examples/nginx-edge.conf} as shipped, but for the site-specific values its
 * header tells an operator to set (origin address, listen ports, cache, key ring and log paths, clock skew), each
 * of which must occur exactly once so the file cannot drift away from the test. It runs as the current user in a
 * temporary prefix: {@code nginx -p prefix -c prefix/nginx.conf}, {@code daemon off}, a master and one worker,
 * pid file, error log and temporary files in the prefix.
 *
 * <p>Where nginx or its njs module is missing the test is skipped with the reason, unless the environment
 * variable {@code REQUIRE_NGINX_EDGE_TEST=1} is set (CI sets it), when it fails instead.
 */
final class NginxEdge implements AutoCloseable {
    /** The nginx binary: {@code KINO_NGINX} or Debian's. */
    static final Path NGINX = Path.of(System.getenv().getOrDefault("KINO_NGINX", "/usr/sbin/nginx"));
    /** Where Debian ({@code libnginx-mod-http-js}), Fedora and nginx.org's packages put the njs module. */
    static final List<Path> JS_MODULES = List.of(Path.of("/usr/lib/nginx/modules/ngx_http_js_module.so"),
            Path.of("/usr/lib64/nginx/modules/ngx_http_js_module.so"), Path.of("/etc/nginx/modules/ngx_http_js_module.so"));

    private static final AtomicBoolean SKIP_REPORTED = new AtomicBoolean();

    private final Process process;
    private final Path prefix;
    private final int port;
    private final boolean ipv6;

    private NginxEdge(Process process, Path prefix, int port, boolean ipv6) {
        this.process = process;
        this.prefix = prefix;
        this.port = port;
        this.ipv6 = ipv6;
    }

    /** @return whether nginx and its njs module are installed */
    static boolean available() {
        return Files.isExecutable(NGINX) && JS_MODULES.stream().anyMatch(Files::isRegularFile);
    }

    /** @return the njs module, after skipping (or failing, with {@code REQUIRE_NGINX_EDGE_TEST=1}) when nginx or it is absent */
    static Path requireNginxWithNjs() {
        Optional<Path> module = JS_MODULES.stream().filter(Files::isRegularFile).findFirst();
        String missing = !Files.isExecutable(NGINX) ? "nginx is not installed (" + NGINX + "; KINO_NGINX names another)"
                : module.isEmpty() ? "nginx's njs module is not installed (none of " + JS_MODULES + ")" : null;
        if (missing != null) {
            String install = "; on Debian: apt-get install nginx libnginx-mod-http-js";
            if ("1".equals(System.getenv("REQUIRE_NGINX_EDGE_TEST"))) {
                Assertions.fail("REQUIRE_NGINX_EDGE_TEST=1 but " + missing + install);
            }
            String reason = "CDN edge test skipped: " + missing + install + " (set REQUIRE_NGINX_EDGE_TEST=1 to fail instead)";
            if (SKIP_REPORTED.compareAndSet(false, true)) {
                System.err.println(reason); // surefire shows skip reasons only in its reports
            }
            Assumptions.abort(reason);
        }
        return module.orElseThrow();
    }

    /**
     * Renders the shipped edge configuration and starts nginx with it.
     *
     * @param repo the repository root (holds {@code config/examples/})
     * @param prefix an empty folder for nginx's prefix: configuration, cache, logs, pid, temporary files
     * @param originPort where the origin (or a tap in front of it) listens on 127.0.0.1
     * @param keyRing the key ring JSON made by {@code nginx-edge/token-keys-json.sh}
     * @param clockSkew the origin's {@code tokens.clockSkew}
     * @return the running edge, listening on 127.0.0.1 (and ::1 when the machine has IPv6 loopback)
     */
    static NginxEdge start(Path repo, Path prefix, int originPort, Path keyRing, Duration clockSkew) throws IOException {
        Path module = requireNginxWithNjs();
        Path examples = repo.resolve("config/examples");
        int port = freePort();
        boolean ipv6 = ipv6Loopback(port);
        Map<String, String> site = new LinkedHashMap<>();
        site.put("server 127.0.0.1:8081;", "server 127.0.0.1:" + originPort + ";");
        site.put("listen 80;", "listen 127.0.0.1:" + port + ";");
        site.put("listen [::]:80;", ipv6 ? "listen [::1]:" + port + ";" : "");
        site.put("proxy_cache_path /var/cache/nginx/kino-edge ", "proxy_cache_path " + prefix.resolve("cache") + " ");
        site.put("js_path \"/etc/nginx/kino-edge/\";", "js_path \"" + examples.resolve("nginx-edge") + "/\";");
        site.put("js_preload_object kino_token_keys from /etc/nginx/kino-edge/token-keys.json;",
                "js_preload_object kino_token_keys from " + keyRing + ";");
        site.put("access_log /var/log/nginx/kino-edge.access.log ", "access_log " + prefix.resolve("access.log") + " ");
        site.put("js_var $kino_token_clock_skew 30;", "js_var $kino_token_clock_skew " + clockSkew.toSeconds() + ";");
        String edge = render(Files.readString(examples.resolve("nginx-edge.conf")), site);
        Files.writeString(prefix.resolve("nginx-edge.conf"), edge);

        // The main context Debian's /etc/nginx/nginx.conf provides, pointed into the prefix.
        boolean root = "root".equals(System.getProperty("user.name"));
        String main = String.join("\n",
                "load_module " + module + ";",
                // As root the workers would switch to nobody and lose access to the prefix.
                root ? "user root;" : "",
                "daemon off;",
                "master_process on;",
                "worker_processes 1;",
                "pid " + prefix.resolve("nginx.pid") + ";",
                "error_log " + prefix.resolve("error.log") + " notice;",
                "events { worker_connections 256; }",
                "http {",
                "    client_body_temp_path " + prefix.resolve("client_body") + ";",
                "    proxy_temp_path " + prefix.resolve("proxy_temp") + ";",
                "    fastcgi_temp_path " + prefix.resolve("fastcgi_temp") + ";",
                "    uwsgi_temp_path " + prefix.resolve("uwsgi_temp") + ";",
                "    scgi_temp_path " + prefix.resolve("scgi_temp") + ";",
                "    access_log off;",
                "    include " + prefix.resolve("nginx-edge.conf") + ";",
                "}", "");
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, main);
        Process p = new ProcessBuilder(NGINX.toString(), "-p", prefix + "/", "-c", conf.toString(),
                "-e", prefix.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        NginxEdge started = new NginxEdge(p, prefix, port, ipv6);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return started;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    String log = started.log();
                    started.close();
                    throw new IOException("nginx did not start on port " + port + ":\n" + log);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }

    /** Replaces each key, which must occur exactly once in {@code text}. */
    static String render(String text, Map<String, String> replacements) {
        String out = text;
        for (Map.Entry<String, String> e : replacements.entrySet()) {
            int at = out.indexOf(e.getKey());
            Assertions.assertTrue(at >= 0 && out.indexOf(e.getKey(), at + 1) < 0,
                    "nginx-edge.conf must contain '" + e.getKey() + "' exactly once");
            out = out.substring(0, at) + e.getValue() + out.substring(at + e.getKey().length());
        }
        return out;
    }

    private static int freePort() throws IOException {
        // Closed again before nginx binds it: a small race, acceptable on a test machine.
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean ipv6Loopback(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    /** @return whether the edge also listens on [::1] */
    boolean ipv6() {
        return ipv6;
    }

    Path prefix() {
        return prefix;
    }

    /** @return nginx's error log and output, for failure messages */
    String log() {
        List<String> parts = new ArrayList<>();
        for (String name : List.of("error.log", "nginx.out")) {
            try {
                parts.add(Files.readString(prefix.resolve(name), StandardCharsets.UTF_8));
            } catch (IOException e) {
                parts.add("(no " + name + ")");
            }
        }
        return String.join("\n", parts);
    }

    /** SIGTERM to the master (fast shutdown: it stops its workers), then whatever of ours is left is killed. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
