package dev.kino.control.auth.mfa;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * QR codes (ISO/IEC 18004, encoded by ZXing) drawn as SVG: one path of unit squares on a white background with the
 * 4-module quiet zone the standard asks for. An {@code otpauth://} URI fits a version 6 to 8 symbol.
 */
public final class QrCodes {
    private QrCodes() {
    }

    /**
     * @param text what the code carries (an {@code otpauth://} URI)
     * @return an SVG document, as a {@code data:image/svg+xml;base64,...} URI an {@code <img>} shows as is
     */
    public static String svgDataUri(String text) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new IllegalArgumentException("text does not fit a QR code: " + text.length() + " characters", e);
        }
        int w = m.getWidth();
        int h = m.getHeight();
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + w + " " + h + "\" width=\"" + w * 6
                + "\" height=\"" + h * 6 + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\""
                + " fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
        return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
    }
}
