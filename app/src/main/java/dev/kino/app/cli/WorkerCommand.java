package dev.kino.app.cli;

import dev.kino.app.runtime.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code ./kino worker}. */
@Command(name = "worker", mixinStandardHelpOptions = true, description = "Run a packaging worker taking jobs from the database queue.")
public final class WorkerCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        global.load();
        throw new UserFacingException("'worker' is not available in this build yet");
    }
}
