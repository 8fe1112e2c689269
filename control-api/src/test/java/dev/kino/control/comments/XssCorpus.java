package dev.kino.control.comments;

import java.util.List;

/** Texts that become script if a page ever renders user text as HTML (OWASP XSS filter evasion examples). */
public final class XssCorpus {
    public static final List<String> PAYLOADS = List.of(
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<svg/onload=alert(1)>",
            "\"><script>alert(document.cookie)</script>",
            "javascript:alert(1)",
            "<a href=\"javascript:alert(1)\">click</a>",
            "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
            "<body onload=alert(1)>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
            "[click](javascript:alert(1))",
            "<scr<script>ipt>alert(1)</scr</script>ipt>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "{{constructor.constructor('alert(1)')()}}",
            "' onmouseover='alert(1)");

    private XssCorpus() {
    }
}
