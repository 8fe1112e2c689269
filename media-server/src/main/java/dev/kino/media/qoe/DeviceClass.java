package dev.kino.media.qoe;

/**
 * The coarse class of a player's device, from its {@code User-Agent}: the one device label of the QoE series, a
 * handful of values so the series stay bounded whatever clients send. The rules are substring checks in order (a TV
 * before a mobile: Android TVs say "Android"); anything unrecognised, or no header, is {@code other}.
 */
public final class DeviceClass {
    /** Every value the label takes. */
    public static final String TV = "tv";
    public static final String MOBILE = "mobile";
    public static final String DESKTOP = "desktop";
    public static final String OTHER = "other";

    private static final String[] TV_MARKS = {"SmartTV", "SMART-TV", "Tizen", "Web0S", "WebOS", "AppleTV",
        "CrKey", "AFT", "BRAVIA", "HbbTV", "Roku", "GoogleTV", "Android TV", "PlayStation", "Xbox"};
    private static final String[] MOBILE_MARKS = {"Mobi", "Android", "iPhone", "iPad", "iPod"};
    private static final String[] DESKTOP_MARKS = {"Windows NT", "Macintosh", "X11", "CrOS", "Linux x86_64"};

    private DeviceClass() {
    }

    /**
     * @param userAgent the {@code User-Agent} header, or null
     * @return {@link #TV}, {@link #MOBILE}, {@link #DESKTOP} or {@link #OTHER}
     */
    public static String of(String userAgent) {
        if (userAgent == null || userAgent.isEmpty()) {
            return OTHER;
        }
        if (any(userAgent, TV_MARKS)) {
            return TV;
        }
        if (any(userAgent, MOBILE_MARKS)) {
            return MOBILE;
        }
        return any(userAgent, DESKTOP_MARKS) ? DESKTOP : OTHER;
    }

    private static boolean any(String ua, String[] marks) {
        for (String m : marks) {
            if (ua.contains(m)) {
                return true;
            }
        }
        return false;
    }
}
