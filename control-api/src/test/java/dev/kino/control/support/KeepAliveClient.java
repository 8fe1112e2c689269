package dev.kino.control.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection for benchmarks, in the way {@code wrk} measures a server: the connection is open
 * before the clock starts, a request is bytes prepared beforehand, and its time is from the first byte written to
 * the last byte of the answer read (status line, headers, a {@code Content-Length} or chunked body, RFC 9112 §6).
 *
 * <p>Why not {@link java.net.http.HttpClient}: on this 2-core machine its per-request work (a selector thread shared
 * by every connection, futures, header objects, an {@code h2c} upgrade attempt) takes CPU from the server it measures,
 * and a burst of 100 requests opens new connections inside the measured time. A benchmark that uses this client says
 * so next to its figures. Not thread-safe: one connection per client thread.
 */
public final class KeepAliveClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final StringBuilder line = new StringBuilder(64);

    /** An answer: its status and body bytes (chunked bodies joined). */
    public record Answer(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * @param port a server on 127.0.0.1
     * @throws UncheckedIOException when it cannot connect
     */
    public KeepAliveClient(int port) {
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A request's bytes, prepared once and sent any number of times.
     *
     * @param token a bearer token, or null for a guest
     * @param body a JSON body, or null for none
     */
    public static byte[] request(String method, String path, String token, String body) {
        StringBuilder b = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nAccept: application/json\r\n");
        if (token != null) {
            b.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            b.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        byte[] head = b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + content.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        return all;
    }

    /**
     * Sends a prepared request and reads its whole answer.
     *
     * @throws UncheckedIOException when the connection fails or the server closes it mid-answer
     */
    public Answer exchange(byte[] request) {
        try {
            out.write(request);
            out.flush();
            String status = readLine();
            if (status == null || !status.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP/1.1 status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h = readLine(); h != null && !h.isEmpty(); h = readLine()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(length > 0 ? (int) length : 256);
            if (chunked) {
                for (int size = Integer.parseInt(chunkSize(readLine()), 16); size > 0;
                     size = Integer.parseInt(chunkSize(readLine()), 16)) {
                    body.write(in.readNBytes(size));
                    readLine();
                }
                for (String trailer = readLine(); trailer != null && !trailer.isEmpty(); trailer = readLine()) {
                    // trailers are not used by the API
                }
            } else if (length > 0) {
                byte[] b = in.readNBytes((int) length);
                if (b.length != length) {
                    throw new IOException("connection closed after " + b.length + " of " + length + " body bytes");
                }
                body.write(b);
            }
            return new Answer(code, body.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String chunkSize(String line) {
        int semicolon = line.indexOf(';');
        return (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
    }

    private String readLine() throws IOException {
        line.setLength(0);
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a benchmark connection: nothing to do
        }
    }
}
