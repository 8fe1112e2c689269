package dev.kino.loadtest;

import dev.kino.app.demo.DemoClip;
import dev.kino.app.demo.DemoSetup;
import dev.kino.app.runtime.Lifecycle;
import dev.kino.app.runtime.Services;
import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;

import java.nio.file.Path;

/**
 * A whole Kino in this JVM, as app's AllInOneTest starts it (embedded PostgreSQL, control API, media server and a
 * packaging worker on port 0), with one published free movie packaged as ./kino demo packages its clip (HLS AES-128,
 * DASH CENC): 8 s of 640×360, so two renditions and two segments each to switch and seek between.
 *
 * <p>This is the load tests' only use of Kino's classes (the simulations speak HTTP alone); after changes to the
 * app's start-up, this class is the one to fix.
 */
final class KinoUnderTest implements AutoCloseable {
    private final Lifecycle lifecycle = new Lifecycle();
    private final Services.Running running;

    KinoUnderTest(Path dataDir) throws Exception {
        KinoConfig config = KinoConfig.from(ConfigLoader.withShippedDefaults()
                .flag("data.dir=" + dataDir).flag("control.port=0").flag("media.port=0").flag("metrics.port=0").flag("control.adminPort=0")
                .flag("control.host=127.0.0.1").flag("media.host=127.0.0.1").load());
        try {
            running = Services.all(config, SecretStore.resolve(config), false, 1, lifecycle);
            DemoSetup setup = new DemoSetup(config, running.control());
            setup.ensureAdmin();
            Path clip = DemoClip.generate(dataDir.resolve("clip.mp4"), 640, 360, 15, 8);
            setup.ensurePublished(clip, "Load Test Clip", line -> { });
        } catch (Exception | Error e) {
            lifecycle.close();
            throw e;
        }
    }

    /** @return the control API's base URL */
    String controlUrl() {
        return "http://127.0.0.1:" + running.control().port();
    }

    /** @return the media server's origin (playback grants name media.publicUrl, whose port 0 is not the real one) */
    String mediaUrl() {
        return "http://127.0.0.1:" + running.media().port();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
