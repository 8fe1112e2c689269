package dev.kino.app.cli;

import dev.kino.app.runtime.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code ./kino serve}. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the media server, control API and a packaging worker in one JVM.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        global.load();
        throw new UserFacingException("'serve' is not available in this build yet");
    }
}
