package dev.kino.control.analytics;

import java.util.regex.Pattern;

/**
 * The coarse device class of a player, from its {@code User-Agent}: {@code tv}, {@code tablet}, {@code mobile},
 * {@code desktop} or {@code other}. Coarse on purpose: enough to tell whether a QoE problem is one of phones or of
 * televisions, too little to single out a device (the User-Agent itself is not stored).
 */
final class DeviceClass {
    static final String TV = "tv";
    static final String TABLET = "tablet";
    static final String MOBILE = "mobile";
    static final String DESKTOP = "desktop";
    static final String OTHER = "other";

    // NOTE: order matters: TV browsers say "Linux", Android tablets say "Android" without "Mobile"
    private static final Pattern TV_UA = Pattern.compile(
            "SmartTV|SMART-TV|Tizen|Web0S|webOS|HbbTV|AppleTV|Apple ?TV|CrKey|Roku|BRAVIA|AFT[A-Z]|GoogleTV|Android TV");
    private static final Pattern TABLET_UA = Pattern.compile("iPad|Tablet|Kindle|Silk/|Android(?!.*Mobile)");
    private static final Pattern MOBILE_UA = Pattern.compile("Mobi|iPhone|iPod|Android|Windows Phone");
    private static final Pattern DESKTOP_UA = Pattern.compile("Windows NT|Macintosh|X11|CrOS|Linux");

    private DeviceClass() {
    }

    /** @return the class of a User-Agent; {@code other} for none or an unknown one */
    static String of(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return OTHER;
        }
        String ua = userAgent.length() > 512 ? userAgent.substring(0, 512) : userAgent;
        if (TV_UA.matcher(ua).find()) {
            return TV;
        }
        if (TABLET_UA.matcher(ua).find()) {
            return TABLET;
        }
        if (MOBILE_UA.matcher(ua).find()) {
            return MOBILE;
        }
        if (DESKTOP_UA.matcher(ua).find()) {
            return DESKTOP;
        }
        return OTHER;
    }
}
