package dev.kino.app.cli;

import dev.kino.app.runtime.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code ./kino control-api}. */
@Command(name = "control-api", mixinStandardHelpOptions = true, description = "Run the control API alone.")
public final class ControlApiCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        global.load();
        throw new UserFacingException("'control-api' is not available in this build yet");
    }
}
