package dev.kino.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./kino recommend generate} then {@code ./kino recommend evaluate}, through the launcher's command line. */
class RecommendCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void generateThenEvaluatePrintsHitRateNdcgAndTime() throws Exception {
        Path file = dir.resolve("i.csv");
        Run g = run("recommend", "generate", "--users", "1500", "--titles", "400", "--interactions", "50000",
                "--out", file.toString());
        assertEquals(0, g.code(), g.err());
        assertTrue(Files.size(file) > 100_000);
        assertTrue(Files.exists(dir.resolve("i.items.csv")));
        Run e = run("recommend", "evaluate", "--interactions", file.toString());
        assertEquals(0, e.code(), e.err());
        Matcher blend = Pattern.compile("blend\\s+([0-9.]+)\\s+([0-9.]+)").matcher(e.out());
        Matcher pop = Pattern.compile("popularity\\s+([0-9.]+)\\s+([0-9.]+)").matcher(e.out());
        assertTrue(blend.find() && pop.find(), e.out());
        assertTrue(Double.parseDouble(blend.group(1)) >= 1.5 * Double.parseDouble(pop.group(1)), e.out());
        assertTrue(e.out().contains("time: load"), e.out());

        Run missing = run("recommend", "evaluate", "--interactions", dir.resolve("none.csv").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("cannot read"), missing.err());
        Files.writeString(dir.resolve("bad.csv"), "u1,t1,notatime,1\n");
        Run bad = run("recommend", "evaluate", "--interactions", dir.resolve("bad.csv").toString(), "--no-items");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("line 1"), bad.err());
        assertEquals(1, run("recommend", "generate", "--users", "0", "--out", dir.resolve("x.csv").toString()).code());
    }
}
