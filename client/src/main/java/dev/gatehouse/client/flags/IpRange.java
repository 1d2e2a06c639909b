package dev.gatehouse.client.flags;

import java.util.Arrays;

/**
 * An IP address or CIDR range, parsed from literals only: never a name, so parsing can never cause a DNS lookup
 * (which {@code InetAddress.getByName} would do for a string that is not a literal).
 */
final class IpRange {

    private final byte[] network;
    private final int prefix;

    private IpRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address; null when it is neither. */
    static IpRange parse(String text) {
        if (text == null) return null;
        String s = text.strip();
        int slash = s.indexOf('/');
        byte[] address = address(slash < 0 ? s : s.substring(0, slash));
        if (address == null) return null;
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
            prefix = Integer.parseInt(p);
            if (prefix > bits) return null;
        }
        return new IpRange(address, prefix);
    }

    boolean contains(byte[] address) {
        if (address == null || address.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    /** The bytes of an IPv4 (4) or IPv6 (16) literal, or null. */
    static byte[] address(String s) {
        if (s == null || s.isEmpty()) return null;
        return s.indexOf(':') >= 0 ? v6(s) : v4(s);
    }

    private static byte[] v4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
            if (p.length() > 1 && p.charAt(0) == '0') return null; // no octal-looking parts
            int v = Integer.parseInt(p);
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] v6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0) return null;
        byte[] tail4 = null;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) > 0) {
            tail4 = v4(s.substring(lastColon + 1));
            if (tail4 == null) return null;
            s = s.substring(0, lastColon + 1) + "0:0";
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) return null;
        String[] head;
        String[] tail;
        if (doubleColon >= 0) {
            String h = s.substring(0, doubleColon);
            String t = s.substring(doubleColon + 2);
            head = h.isEmpty() ? new String[0] : h.split(":", -1);
            tail = t.isEmpty() ? new String[0] : t.split(":", -1);
            if (head.length + tail.length > 7) return null;
        } else {
            head = s.split(":", -1);
            tail = new String[0];
            if (head.length != 8) return null;
        }
        int[] groups = new int[8];
        for (int i = 0; i < head.length; i++) {
            int g = group(head[i]);
            if (g < 0) return null;
            groups[i] = g;
        }
        for (int i = 0; i < tail.length; i++) {
            int g = group(tail[i]);
            if (g < 0) return null;
            groups[8 - tail.length + i] = g;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (groups[i] >>> 8);
            out[2 * i + 1] = (byte) groups[i];
        }
        if (tail4 != null) System.arraycopy(tail4, 0, out, 12, 4);
        return out;
    }

    private static int group(String g) {
        if (g.isEmpty() || g.length() > 4) return -1;
        int v = 0;
        for (int i = 0; i < g.length(); i++) {
            int d = Character.digit(g.charAt(i), 16);
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }

    @Override
    public String toString() {
        return Arrays.toString(network) + "/" + prefix;
    }
}
