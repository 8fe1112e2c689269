package dev.kino.control.billing;

import dev.kino.control.billing.BillingTypes.Invoice;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Currency;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;

/**
 * An invoice as a one-page A4 PDF, drawn with Apache PDFBox 3 in Helvetica (one of the standard 14 fonts, so nothing
 * is embedded). Text the subscriber chose (their name) may hold characters Helvetica's WinAnsi encoding lacks: those
 * are drawn as {@code ?} rather than failing the download. Amounts are shown with the currency's own number of
 * decimals (ISO 4217: 2 for EUR, 0 for JPY).
 */
public final class InvoicePdf {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private InvoicePdf() {
    }

    /**
     * @param invoice the invoice
     * @param username who it is billed to
     * @param email their address
     * @return the PDF document
     */
    public static byte[] render(Invoice invoice, String username, String email) {
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("Kino invoice " + (invoice.number() == null ? invoice.id() : invoice.number()));
            info.setProducer("Kino");
            // the invoice's own date, not the download's: the same invoice gives the same document
            Calendar issued = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            issued.setTimeInMillis(invoice.issuedAt().toEpochMilli());
            info.setCreationDate(issued);
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            float left = 56;
            float y = page.getMediaBox().getHeight() - 72;
            try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
                y = line(out, bold, 22, left, y, "Kino") - 8;
                y = line(out, bold, 14, left, y, "Invoice " + (invoice.number() == null ? "(draft)" : invoice.number())) - 10;
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"Billed to", username + " <" + email + ">"});
                rows.add(new String[] {"Issued", DATE.format(invoice.issuedAt())});
                rows.add(new String[] {"Status", invoice.status()});
                if (invoice.periodStart() != null && invoice.periodEnd() != null) {
                    rows.add(new String[] {"Period", DATE.format(invoice.periodStart()) + " to " + DATE.format(invoice.periodEnd())});
                }
                rows.add(new String[] {"Description", invoice.description() == null ? "Subscription" : invoice.description()});
                rows.add(new String[] {"Amount due", money(invoice.amountDueMinor(), invoice.currency())});
                rows.add(new String[] {"Amount paid", money(invoice.amountPaidMinor(), invoice.currency())});
                if (invoice.paidAt() != null) {
                    rows.add(new String[] {"Paid on", DATE.format(invoice.paidAt())});
                }
                rows.add(new String[] {"Reference", invoice.id().toString()});
                for (String[] row : rows) {
                    line(out, bold, 11, left, y, row[0]);
                    y = line(out, regular, 11, left + 110, y, row[1]) - 4;
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            doc.save(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Draws one line of text at (x, y); @return the baseline of the next line */
    private static float line(PDPageContentStream out, PDType1Font font, float size, float x, float y, String text)
            throws IOException {
        out.beginText();
        out.setFont(font, size);
        out.newLineAtOffset(x, y);
        out.showText(printable(font, text, 90));
        out.endText();
        return y - size * 1.3f;
    }

    /** @return text the font can draw: unencodable characters as '?', controls dropped, at most {@code max} characters */
    static String printable(PDType1Font font, String text, int max) {
        StringBuilder b = new StringBuilder();
        text.codePoints().limit(max).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                return;
            }
            String ch = new String(Character.toChars(cp));
            try {
                font.encode(ch);
                b.append(ch);
            } catch (IOException | IllegalArgumentException e) {
                b.append('?');
            }
        });
        return b.toString();
    }

    /** @return e.g. {@code 9.99 EUR} for 999 minor units of EUR, {@code 1200 JPY} for 1200 of JPY */
    static String money(long minor, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            digits = 2;
        }
        return BigDecimal.valueOf(minor, digits).toPlainString() + " " + currency;
    }
}
