package dev.kino.control.analytics;

import dev.kino.control.web.Asset;
import dev.kino.control.web.WebApp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's charting library (uPlot, from its npm tarball) is packaged where the view loads it from. */
class AnalyticsDashboardAssetsTest {
    @Test
    void theChartLibraryTheDashboardLoadsIsPackaged() {
        WebApp app = WebApp.fromClasspath();
        String view = new String(app.assets().get("js/views/analytics.js").body(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("'/(vendor/uplot-[^']+)'").matcher(view);
        int found = 0;
        while (m.find()) {
            found++;
            Asset lib = app.assets().get(m.group(1));
            assertNotNull(lib, m.group(1) + " is loaded by web/js/views/analytics.js but not packaged"
                    + " (uplot.version in control-api/pom.xml and the view differ?)");
            assertTrue(lib.body().length > 1000, m.group(1));
            assertEquals("public, max-age=31536000, immutable", lib.cacheControl());
        }
        assertEquals(2, found, "the script and its style sheet");
        assertTrue(app.paths().stream().anyMatch(p -> p.startsWith("vendor/uplot-") && p.endsWith("/LICENSE")));
    }
}
