package dev.kino.app.cli;

import dev.kino.app.runtime.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code ./kino media-server}. */
@Command(name = "media-server", mixinStandardHelpOptions = true, description = "Run the media server (origin) alone.")
public final class MediaServerCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        global.load();
        throw new UserFacingException("'media-server' is not available in this build yet");
    }
}
