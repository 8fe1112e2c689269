package dev.kino.app.cli;

import dev.kino.app.runtime.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code ./kino demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start everything on the embedded defaults and play real video.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        global.load();
        throw new UserFacingException("'demo' is not available in this build yet");
    }
}
