package dev.kino.media.http;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access log as Kino ships it ({@code config/logback.xml}): a rolled file is kept uncompressed unless
 * {@code kino.accessLogArchiveSuffix} asks for gzip (gzipping 100 MB files every few seconds at full load took a core
 * from the event loops; {@code media-server/BENCHMARK.md}, session 2026-12-06).
 */
class AccessLogRollingTest {
    private static final String LINE = "203.0.113.9 - - [06/Dec/2026:02:30:00 +0000] \"GET /v/1.k1.*/t/a.m3u8 HTTP/1.1\""
            + " 200 466 \"-\" \"wrk\" 0";
    private static final String NEXT = LINE.replace("02:30:00", "02:30:01");

    @Test
    void aRolledAccessLogIsKeptUncompressedByDefault(@TempDir Path logs) throws Exception {
        List<Path> rolled = rollOnce(logs, null);
        assertEquals(1, rolled.size(), rolled.toString());
        String name = rolled.get(0).getFileName().toString();
        assertTrue(name.matches("access\\.\\d{4}-\\d{2}-\\d{2}\\.0\\.log"), name);
        assertEquals(LINE + "\n", Files.readString(rolled.get(0)));
        assertEquals(NEXT + "\n", Files.readString(logs.resolve("access.log")), "the live file goes on");
    }

    @Test
    void theArchiveSuffixGzipsRolledAccessLogs(@TempDir Path logs) throws Exception {
        List<Path> rolled = rollOnce(logs, ".gz");
        assertEquals(1, rolled.size(), rolled.toString());
        String name = rolled.get(0).getFileName().toString();
        assertTrue(name.matches("access\\.\\d{4}-\\d{2}-\\d{2}\\.0\\.log\\.gz"), name);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(rolled.get(0)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            assertEquals(LINE + "\n", out.toString(StandardCharsets.US_ASCII));
        }
    }

    /**
     * Configures a logging context from the shipped file, writes one access-log line and another a day later (the
     * file rolls over in between), stops the context (which waits for a compression under way) and lists the rolled
     * files.
     */
    private static List<Path> rollOnce(Path logs, String archiveSuffix) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.putProperty("kino.logDir", logs.toString());
        if (archiveSuffix != null) {
            context.putProperty("kino.accessLogArchiveSuffix", archiveSuffix);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("../config/logback.xml").toFile());
        try {
            ch.qos.logback.classic.Logger access = context.getLogger(AccessLog.LOGGER);
            AsyncAppender async = (AsyncAppender) access.getAppender("ACCESS");
            @SuppressWarnings("unchecked")
            RollingFileAppender<ILoggingEvent> file = (RollingFileAppender<ILoggingEvent>) async.getAppender("ACCESS_FILE");
            file.doAppend(new LoggingEvent(AccessLogRollingTest.class.getName(), access, Level.INFO, LINE, null, null));
            // the next line is written a day later: the policy rolls the file over before writing it
            TimeBasedRollingPolicy<?> policy = (TimeBasedRollingPolicy<?>) file.getRollingPolicy();
            policy.getTimeBasedFileNamingAndTriggeringPolicy().setCurrentTime(
                    System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1));
            file.doAppend(new LoggingEvent(AccessLogRollingTest.class.getName(), access, Level.INFO, NEXT, null, null));
        } finally {
            context.stop();
        }
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(p -> p.getFileName().toString().startsWith("access.")
                    && !p.getFileName().toString().equals("access.log")).toList();
        }
    }
}
