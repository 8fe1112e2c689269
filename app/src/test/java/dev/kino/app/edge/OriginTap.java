package dev.kino.app.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A wire tap in front of the origin: a TCP relay on 127.0.0.1:0 that forwards nginx's connections to the real
 * media server byte for byte and records the head of every request on them (HTTP/1.1 framing, RFC 9112 §6:
 * a body is skipped by its Content-Length; nginx never sends chunked request bodies upstream when it buffers
 * them, its default).
 *
 * <p>A request is recorded before its first byte is forwarded, so once the client has the edge's answer to a
 * request that went to the origin, the tap has seen it: counting is exact, without waiting. Interim responses
 * and pipelining do not occur between nginx and an upstream.
 */
final class OriginTap implements AutoCloseable {
    /** One request head as nginx sent it to the origin. */
    record Request(String method, String target, List<String[]> headers) {
        /** @return the first value of a header (case-insensitive name) */
        Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
        }

        /** @return the number of headers with this name */
        long headerCount(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).count();
        }
    }

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final ServerSocket server;
    private final int originPort;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private OriginTap(int originPort) throws IOException {
        this.originPort = originPort;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "origin-tap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return a tap relaying 127.0.0.1:{@link #port()} to 127.0.0.1:{@code originPort} */
    static OriginTap start(int originPort) throws IOException {
        return new OriginTap(originPort);
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return every request relayed so far, in order */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** @return how many relayed requests match */
    long count(Predicate<Request> which) {
        return requests.stream().filter(which).count();
    }

    /** @return how many relayed requests had a target ending with {@code suffix} (e.g. the path after the token) */
    long count(String suffix) {
        return count(r -> r.target().endsWith(suffix));
    }

    /** @return framing problems met while relaying (a test asserts there are none) */
    List<String> errors() {
        return List.copyOf(errors);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket edge = server.accept();
                Socket origin = new Socket(InetAddress.getLoopbackAddress(), originPort);
                sockets.add(edge);
                sockets.add(origin);
                start("origin-tap-up", () -> relayRequests(edge, origin));
                start("origin-tap-down", () -> copy(origin, edge));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    errors.add("accept: " + e);
                }
            }
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void relayRequests(Socket edge, Socket origin) {
        try (edge; origin) {
            InputStream in = edge.getInputStream();
            OutputStream out = origin.getOutputStream();
            byte[] head;
            while ((head = readHead(in)) != null) {
                Request request = parse(new String(head, StandardCharsets.ISO_8859_1));
                requests.add(request);
                out.write(head);
                if (request.header("Transfer-Encoding").isPresent()) {
                    errors.add("chunked request body not supported by the tap: " + request.target());
                    return;
                }
                long length = Long.parseLong(request.header("Content-Length").orElse("0").trim());
                byte[] buf = new byte[8192];
                while (length > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, length));
                    if (n < 0) {
                        return;
                    }
                    out.write(buf, 0, n);
                    length -= n;
                }
                out.flush();
            }
        } catch (IOException e) {
            // a side closed: the other side's relay ends too
        }
    }

    /** @return the bytes up to and including the blank line ending a request head; null at a clean end of stream */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int state = 0; // CR LF CR LF matched so far
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                return head.toByteArray();
            }
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("request head over " + MAX_HEAD_BYTES + " bytes");
            }
        }
        return null;
    }

    private static Request parse(String head) {
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(new String[]{lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim()});
            }
        }
        return new Request(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", List.copyOf(headers));
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
