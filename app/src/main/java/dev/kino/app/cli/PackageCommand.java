package dev.kino.app.cli;

import dev.kino.app.runtime.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code ./kino package}. */
@Command(name = "package", mixinStandardHelpOptions = true, description = "Package source videos into an encrypted CMAF ladder for HLS and DASH.")
public final class PackageCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        global.load();
        throw new UserFacingException("'package' is not available in this build yet");
    }
}
