package dev.kino.control.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events reader (WHATWG HTML §9.2.6 parsing: {@code id:}, {@code event:}, {@code data:}, comments,
 * blank line dispatch) over the JDK's HTTP client, as a script or a non-browser client reads the stream.
 */
public final class EventStreamClient implements AutoCloseable {
    /** One dispatched event. */
    public record Event(String id, String event, String data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int comments;
    private volatile String retry;
    private volatile boolean ended;

    /**
     * @param url the stream's full URL
     * @param headers name, value, name, value ...
     */
    public EventStreamClient(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        response = HttpClient.newHttpClient().sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            String id = null;
            String event = null;
            List<String> data = new ArrayList<>();
            try {
                for (String line : (Iterable<String>) r.body()::iterator) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(id, event == null ? "message" : event, String.join("\n", data)));
                        }
                        event = null;
                        data.clear();
                    } else if (line.startsWith(":")) {
                        comments++;
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.add(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                    } else if (line.startsWith("retry:")) {
                        retry = line.substring(6).strip();
                    }
                }
            } catch (RuntimeException e) {
                // the connection went
            } finally {
                ended = true;
            }
        });
    }

    /** @return the response status and headers, once they came */
    public HttpResponse<Stream<String>> response() throws Exception {
        return response.get(10, TimeUnit.SECONDS);
    }

    /** @return the next event, or null after {@code wait} */
    public Event next(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the events that arrived within {@code wait} of each other, until none came for {@code wait} */
    public List<Event> drain(Duration wait) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        Event e;
        while ((e = next(wait)) != null) {
            out.add(e);
        }
        return out;
    }

    public int comments() {
        return comments;
    }

    public String retry() {
        return retry;
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(r -> r.body().close());
    }
}
