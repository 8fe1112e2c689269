package dev.kino.loadtest;

import io.gatling.javaapi.core.ChainBuilder;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * {@code ./kino loadtest players}: HLS viewers ({@link ViewerSimulation}, {@link HlsPlayback}): the multivariant
 * playlist, a variant's media playlist and its audio rendition's, init sections, the AES-128 key, then segments at
 * real-time pace, sometimes switching variant (its playlists and init section again) or seeking.
 */
public class HlsViewersSimulation extends ViewerSimulation {
    public HlsViewersSimulation() {
        super(false);
        run(viewers("HLS viewers"), "api playback authorise", "hls multivariant playlist", "hls media playlist",
                "hls init section", "hls segment");
    }

    @Override
    Playback newPlayback(Account account, KinoApi.Playable item) {
        return new HlsPlayback(account, item, settings);
    }

    @Override
    String manifestKind() {
        return "hls multivariant playlist";
    }

    @Override
    ChainBuilder beforeSegments() {
        return asLongAs(s -> ((HlsPlayback) pb(s)).playlistDue() != null).on(
                exec(http("hls media playlist").get(s -> ((HlsPlayback) pb(s)).playlistDue())
                        .check(status().is(200), handled((body, s) -> ((HlsPlayback) pb(s)).onPlaylist(body)))));
    }
}
