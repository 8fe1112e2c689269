package dev.kino.app.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code ARCHITECTURE.md} true: every class it names in backticks (fully qualified {@code dev.kino.…}, a
 * {@code package.Class} short form, or a bare {@code Class}) exists as a source file of the repository, apart from
 * the few Netty classes it names on purpose.
 */
class ArchitectureDocTest {
    /** Classes of libraries the document names (the write path's Netty types). */
    private static final Set<String> EXTERNAL = Set.of("DefaultFileRegion", "HttpChunkedInput", "HttpServerCodec");
    private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern CLASS = Pattern.compile("(?:^|[.\\s(])([A-Z][a-z][A-Za-z0-9]*)(?=$|[.#(\\s/])");

    @Test
    void everyClassItNamesExists() throws IOException {
        Path root = repositoryRoot();
        // fenced blocks (the module diagram) hold no class names and would throw the backtick pairs out of step
        String doc = Files.readString(root.resolve("ARCHITECTURE.md")).replaceAll("(?s)```.*?```", "");
        Set<String> sources = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                            && !p.toString().contains("/target/"))
                    .forEach(p -> sources.add(root.relativize(p).toString()));
        }
        Set<String> simpleNames = new TreeSet<>();
        sources.forEach(s -> simpleNames.add(s.substring(s.lastIndexOf('/') + 1, s.length() - ".java".length())));

        List<String> missing = new ArrayList<>();
        int checked = 0;
        Matcher code = CODE.matcher(doc);
        while (code.find()) {
            String text = code.group(1);
            if (text.startsWith("dev.kino.")) {
                if (text.contains("*")) {
                    continue; // a family of classes
                }
                // the class is the first capitalised segment: dev.kino.packager.Packager.run(...) names Packager
                StringBuilder fqcn = new StringBuilder();
                boolean isClass = false;
                for (String seg : text.split("[(#]")[0].split("\\.")) {
                    fqcn.append(fqcn.length() == 0 ? "" : "/").append(seg);
                    if (!seg.isEmpty() && Character.isUpperCase(seg.charAt(0))) {
                        isClass = true;
                        break;
                    }
                }
                String path = "/src/main/java/" + fqcn + (isClass ? ".java" : "/");
                checked++;
                if (sources.stream().noneMatch(src -> ("/" + src).contains(path))) {
                    missing.add(text);
                }
                continue;
            }
            if (text.contains("/") || text.contains(" ") && !text.contains("→")) {
                continue; // a path or a phrase
            }
            Matcher c = CLASS.matcher(text);
            while (c.find()) {
                String name = c.group(1);
                if (!EXTERNAL.contains(name) && looksLikeAClass(name)) {
                    checked++;
                    if (!simpleNames.contains(name)) {
                        missing.add(text + " (" + name + ")");
                    }
                }
            }
        }
        assertTrue(checked > 40, "the document names classes: " + checked);
        assertEquals(List.of(), missing, "ARCHITECTURE.md names classes that do not exist");
    }

    /** CamelCase with at least two humps ({@code MediaHandler}), or a known one-word class of ours. */
    private static boolean looksLikeAClass(String name) {
        return name.chars().filter(Character::isUpperCase).count() >= 2 || Set.of("Packager", "Uploads", "Plans",
                "Catalog", "Takedowns", "Problem", "Cors", "Conditional", "Protection", "Exchange").contains(name);
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("ARCHITECTURE.md"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("ARCHITECTURE.md not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
