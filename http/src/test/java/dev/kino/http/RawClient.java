package dev.kino.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw TCP client for what no well-behaved HTTP client does: dripping bytes, pipelining, missing headers. */
final class RawClient implements AutoCloseable {
    final Socket socket;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
    }

    RawClient send(String s) throws IOException {
        socket.getOutputStream().write(s.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Sends one byte a second until the server closes the connection (or {@code max} bytes went out).
     *
     * @return seconds it took the server to close
     */
    double drip(String s, int max) throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < Math.min(max, s.length()); i++) {
            try {
                send(s.substring(i, i + 1));
            } catch (IOException closed) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(1000);
            if (closedByPeer()) {
                return (System.nanoTime() - start) / 1e9;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private boolean closedByPeer() throws IOException {
        socket.setSoTimeout(1);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            socket.setSoTimeout(20_000);
        }
    }

    /** @return everything until the server closes (ISO-8859-1) */
    String readAll() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
