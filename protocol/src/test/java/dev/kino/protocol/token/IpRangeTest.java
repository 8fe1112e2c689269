package dev.kino.protocol.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IpRangeTest {

    static InetAddress a(String literal) {
        return IpRange.parseAddress(literal);
    }

    @ParameterizedTest
    @CsvSource({
        // range, address, inside
        "0.0.0.0/0, 1.2.3.4, true",
        "0.0.0.0/0, 255.255.255.255, true",
        "0.0.0.0/0, ::1, false",
        "203.0.113.7, 203.0.113.7, true",
        "203.0.113.7/32, 203.0.113.7, true",
        "203.0.113.7/32, 203.0.113.6, false",
        "203.0.113.0/24, 203.0.113.0, true",
        "203.0.113.0/24, 203.0.113.255, true",
        "203.0.113.0/24, 203.0.112.255, false",
        "203.0.113.0/24, 203.0.114.0, false",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "192.168.0.0/23, 192.168.1.200, true",
        "192.168.0.0/23, 192.168.2.1, false",
        "128.0.0.0/1, 200.1.1.1, true",
        "128.0.0.0/1, 127.255.255.255, false",
        "203.0.113.0/24, ::ffff:203.0.113.9, true",
        "203.0.113.0/24, ::ffff:cb00:7109, true",
        "203.0.113.0/24, ::203.0.113.9, false",
        "203.0.113.0/24, 64:ff9b::203.0.113.9, false",
        "::/0, ::, true",
        "::/0, 2001:db8::1, true",
        "::/0, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "::/0, 1.2.3.4, false",
        "::/0, ::ffff:1.2.3.4, false",
        "2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "2001:db8::/32, 2001:db9::, false",
        "2001:db8:1234::/48, 2001:db8:1234:5::9, true",
        "2001:db8:1234::/48, 2001:db8:1235::9, false",
        "2001:db8::1/128, 2001:db8::1, true",
        "2001:db8::1/128, 2001:db8::2, false",
        "2001:db8::1, 2001:db8:0:0:0:0:0:1, true",
        "2001:db8::/127, 2001:db8::1, true",
        "2001:db8::/127, 2001:db8::2, false",
        "fe80::/10, febf::1, true",
        "fe80::/10, fec0::1, false",
        "::ffff:198.51.100.0/120, 198.51.100.77, true",
        "::ffff:198.51.100.0/120, 198.51.101.77, false",
    })
    void contains(String range, String address, boolean inside) {
        assertEquals(inside, IpRange.parse(range).contains(a(address)), range + " ∋ " + address);
    }

    @Test
    void containsIgnoresScopeAndRejectsNull() throws UnknownHostException {
        IpRange r = IpRange.parse("fe80::/64");
        InetAddress scoped = Inet6Address.getByAddress(null, a("fe80::1").getAddress(), 3);
        assertTrue(r.contains(scoped));
        assertFalse(r.contains(null));
        // an IPv4-mapped Inet6Address (not converted by the JDK) is matched as IPv4
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 203;
        mapped[15] = 1;
        InetAddress m = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(IpRange.parse("203.0.0.0/16").contains(m));
        assertFalse(IpRange.parse("::/0").contains(m));
    }

    @ParameterizedTest
    @CsvSource({
        "203.0.113.7, 203.0.113.7/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "10.0.0.0/8, 10.0.0.0/8",
        "::, ::/128",
        "::/0, ::/0",
        "::1, ::1/128",
        "2001:DB8::/32, 2001:db8::/32",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1/128",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1/128",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
        "2001:db8:1:1:1:1:1:1, 2001:db8:1:1:1:1:1:1/128",
        "2001:db8::1:0:1, 2001:db8::1:0:1/128",
        "1:0:0:0:0:0:0:0, 1::/128",
        "1::, 1::/128",
        "::ffff:1.2.3.4, 1.2.3.4/32",
        "::ffff:0:0/96, 0.0.0.0/0",
        "::1.2.3.4, ::102:304/128",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304/128",
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0/128",
        "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8/128",
    })
    void parseAndCanonicalText(String input, String canonical) {
        IpRange r = IpRange.parse(input);
        assertEquals(canonical, r.toString());
        assertEquals(r, IpRange.parse(r.toString()));
        assertEquals(r.hashCode(), IpRange.parse(r.toString()).hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "localhost", "example.com", "abc", "cafe", "beef::g", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4",
        "1.2.3.04", "0x1.2.3.4", "1.2.3.-4", "+1.2.3.4", "1..3.4", "1.2.3.4.", ".1.2.3.4", "1.2.3.4/33",
        "1.2.3.4/-1", "1.2.3.4/", "1.2.3.4/08", "1.2.3.4/+8", "10.1.2.3/8", "1.2.3.4/32/1", "1.2.3.4 ",
        "::/129", ":::", "::1::", "1::2::3", ":1::", "1::2:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::",
        "12345::", "fe80::1%eth0", "fe80::1%1", "::ffff:1.2.3", "::1.2.3.4:5", "1.2.3.4::", "::ffff:1.2.3.4/95",
        "::ffff:1.2.3.0/64", "2001:db8::1/64", "[::1]", "\u0661.2.3.4", "\uff11.2.3.4", "::\uff11", "1:2:3:4:5:6:7:1.2.3.4",
        "2001:db8::/032", "1.2.3.4/3\u0662"
    })
    void rejectsNonLiteralsAndNonCanonicalRanges(String input) {
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse(input), input);
    }

    @Test
    void rejectsOverlongInputAndNull() {
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("1".repeat(65)));
        assertThrows(NullPointerException.class, () -> IpRange.parse(null));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parseAddress("1.2.3.4/32"));
    }

    @Test
    void parseAddressTypes() {
        assertInstanceOf(Inet4Address.class, a("203.0.113.7"));
        assertInstanceOf(Inet4Address.class, a("::ffff:203.0.113.7"));
        assertInstanceOf(Inet6Address.class, a("2001:db8::7"));
        assertArrayEquals(new byte[] {(byte) 203, 0, 113, 7}, a("203.0.113.7").getAddress());
    }

    @Test
    void ofBytesAndSingle() {
        assertEquals("203.0.113.0/24", IpRange.of(new byte[] {(byte) 203, 0, 113, 0}, 24).toString());
        assertEquals("203.0.113.7/32", IpRange.single(a("203.0.113.7")).toString());
        assertEquals("2001:db8::7/128", IpRange.single(a("2001:db8::7")).toString());
        assertThrows(IllegalArgumentException.class, () -> IpRange.of(new byte[5], 0));
        assertThrows(IllegalArgumentException.class, () -> IpRange.of(new byte[4], 33));
        assertThrows(IllegalArgumentException.class, () -> IpRange.of(new byte[16], -1));
        IpRange r = IpRange.parse("2001:db8::/32");
        assertTrue(r.isIpv6());
        assertEquals(32, r.prefixLength());
        byte[] copy = r.networkAddress();
        copy[0] = 0;
        assertEquals("2001:db8::/32", r.toString()); // defensive copy
    }
}
