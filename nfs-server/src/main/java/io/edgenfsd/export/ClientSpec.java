package io.edgenfsd.export;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One client of an exports(5) line: who may use the export.
 *
 * <ul>
 *   <li>{@link Kind#HOST}: one IPv4 or IPv6 address ({@code 10.0.0.5}, {@code fd00::5}, {@code [fd00::5]}),
 *       or a host name ({@code node1}, {@code nas.example.com}). A host name matches a client whose
 *       (verified) reverse name equals it, ignoring case and a trailing dot, or, as knfsd does, a client
 *       whose address is one of the name's forward addresses.</li>
 *   <li>{@link Kind#NETWORK}: {@code 10.0.0.0/8}, {@code 192.168.1.0/255.255.255.0} (contiguous netmasks
 *       only), {@code fd00::/64}. Host bits set in the address are ignored, as knfsd does.</li>
 *   <li>{@link Kind#WILDCARD}: a pattern with {@code *}, {@code ?} or {@code [...]} ({@code [!...]} negates).
 *       As in knfsd the wildcards also match dots, so {@code *.example.com} matches {@code a.b.example.com}.
 *       A pattern made only of digits, dots and wildcards ({@code 192.168.1.*}), or containing a colon, is
 *       matched against the client's address text, never against its name, so no lookup is needed and a
 *       forged reverse name such as {@code 192.168.1.evil.example} cannot match it.</li>
 *   <li>{@link Kind#ANYONE}: {@code *}.</li>
 * </ul>
 * NIS netgroups ({@code @group}) and {@code gss/krb5*} pseudo-clients are rejected: this server has no NIS
 * client and no Kerberos, and silently never matching would hide an export without saying why.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.5}) are treated as the IPv4 address, both in specs
 * and in client addresses.
 */
public final class ClientSpec {

    /** The kinds, in knfsd's precedence order: earlier kinds win over later ones. */
    public enum Kind { HOST, NETWORK, WILDCARD, ANYONE }

    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\\.?");
    private static final Pattern WILDCARD_CHARS = Pattern.compile("[A-Za-z0-9_.:*?\\[\\]!^-]+");
    private static final Pattern NUMERIC_WILDCARD = Pattern.compile("[0-9.*?\\[\\]!^-]+");
    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private final Kind kind;
    private final String text;
    private final String canonical;
    private final byte[] address;      // HOST by address, NETWORK
    private final int prefix;          // NETWORK
    private final String hostName;     // HOST by name, lower case, no trailing dot
    private final Pattern pattern;     // WILDCARD
    private final boolean numericPattern;

    private ClientSpec(Kind kind, String text, String canonical, byte[] address, int prefix, String hostName,
                       Pattern pattern, boolean numericPattern) {
        this.kind = kind;
        this.text = text;
        this.canonical = canonical;
        this.address = address;
        this.prefix = prefix;
        this.hostName = hostName;
        this.pattern = pattern;
        this.numericPattern = numericPattern;
    }

    /**
     * Parses a client spec (the part before {@code (options)}).
     *
     * @throws IllegalArgumentException with a message for the user when {@code text} is not a valid spec
     */
    public static ClientSpec parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty client specification");
        }
        if (text.equals("*")) {
            return new ClientSpec(Kind.ANYONE, text, "*", null, 0, null, null, false);
        }
        if (text.startsWith("@")) {
            throw new IllegalArgumentException("netgroup client \"" + text
                    + "\" is not supported (no NIS here): list the hosts or a network instead");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("gss/") || lower.startsWith("krb5")) {
            throw new IllegalArgumentException("client \"" + text
                    + "\" is not supported: this server offers only sec=sys (AUTH_SYS)");
        }
        int slash = text.indexOf('/');
        if (slash >= 0) {
            return parseNetwork(text, slash);
        }
        if (text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0) {
            if (text.startsWith("[") && text.endsWith("]") && text.indexOf(':') >= 0
                    && text.indexOf('*') < 0 && text.indexOf('?') < 0) {
                return hostAddress(text, parseIpv6(text.substring(1, text.length() - 1), text));
            }
            return parseWildcard(text);
        }
        if (text.indexOf(':') >= 0) {
            return hostAddress(text, parseIpv6(text, text));
        }
        if (IPV4_LIKE.matcher(text).matches()) {
            return hostAddress(text, parseIpv4(text, text));
        }
        if (text.length() > 253 || !HOSTNAME.matcher(text).matches() || text.contains("..")) {
            throw new IllegalArgumentException("invalid client specification \"" + text + "\"");
        }
        String name = stripDot(lower);
        return new ClientSpec(Kind.HOST, text, name, null, 0, name, null, false);
    }

    private static ClientSpec hostAddress(String text, byte[] addr) {
        return new ClientSpec(Kind.HOST, text, addressText(addr), addr, addr.length * 8, null, null, false);
    }

    private static ClientSpec parseNetwork(String text, int slash) {
        String a = text.substring(0, slash);
        String m = text.substring(slash + 1);
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        boolean v6Text = a.indexOf(':') >= 0;
        byte[] addr = v6Text ? parseIpv6(a, text) : parseIpv4(a, text);
        int max = addr.length * 8;
        int bits;
        if (m.matches("[0-9]{1,3}")) {
            bits = Integer.parseInt(m);
            if (v6Text && addr.length == 4) {
                // ::ffff:a.b.c.d/N written in IPv6 form: the IPv4 part starts at bit 96
                if (bits < 96 || bits > 128) {
                    throw new IllegalArgumentException("bad prefix length in \"" + text
                            + "\": an IPv4-mapped network needs /96 to /128");
                }
                bits -= 96;
            }
            if (bits > max) {
                throw new IllegalArgumentException("bad prefix length in \"" + text + "\": at most /" + max);
            }
        } else if (!v6Text && IPV4_LIKE.matcher(m).matches()) {
            bits = maskBits(parseIpv4(m, text), text);
        } else {
            throw new IllegalArgumentException("bad network \"" + text + "\": expected ADDRESS/PREFIX or "
                    + "ADDRESS/NETMASK");
        }
        byte[] net = mask(addr, bits);
        return new ClientSpec(Kind.NETWORK, text, addressText(net) + "/" + bits, net, bits, null, null, false);
    }

    private static int maskBits(byte[] mask, String text) {
        int bits = 0;
        boolean ended = false;
        for (byte b : mask) {
            for (int i = 7; i >= 0; i--) {
                boolean one = ((b >> i) & 1) != 0;
                if (one && ended) {
                    throw new IllegalArgumentException("bad netmask in \"" + text
                            + "\": the one-bits of a netmask must be contiguous");
                }
                if (one) {
                    bits++;
                } else {
                    ended = true;
                }
            }
        }
        return bits;
    }

    private static byte[] mask(byte[] addr, int bits) {
        byte[] out = addr.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
        }
        return out;
    }

    private static ClientSpec parseWildcard(String text) {
        if (!WILDCARD_CHARS.matcher(text).matches()) {
            throw new IllegalArgumentException("invalid wildcard client \"" + text + "\"");
        }
        boolean numeric = text.indexOf(':') >= 0 || NUMERIC_WILDCARD.matcher(text).matches();
        String lower = text.toLowerCase(Locale.ROOT);
        Pattern p = Pattern.compile(globToRegex(lower, text), Pattern.CASE_INSENSITIVE);
        return new ClientSpec(Kind.WILDCARD, text, (numeric ? "addr:" : "name:") + stripDot(lower), null, 0, null, p,
                numeric);
    }

    private static String globToRegex(String glob, String text) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("unterminated \"[\" in wildcard client \"" + text + "\"");
                    }
                    String body = glob.substring(i + 1, end);
                    boolean neg = body.startsWith("!") || body.startsWith("^");
                    if (neg) {
                        body = body.substring(1);
                    }
                    if (body.isEmpty() || body.indexOf('[') >= 0) {
                        throw new IllegalArgumentException("bad \"[...]\" in wildcard client \"" + text + "\"");
                    }
                    re.append('[').append(neg ? "^" : "");
                    for (char k : body.toCharArray()) {
                        if (k == '-' || Character.isLetterOrDigit(k)) {
                            re.append(k);
                        } else {
                            re.append('\\').append(k);
                        }
                    }
                    re.append(']');
                    i = end;
                }
                case ']' -> throw new IllegalArgumentException("unmatched \"]\" in wildcard client \"" + text + "\"");
                default -> {
                    if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                        re.append(c);
                    } else {
                        re.append('\\').append(c);
                    }
                }
            }
        }
        try {
            Pattern.compile(re.toString());
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid wildcard client \"" + text + "\"");
        }
        return re.toString();
    }

    /** Strict dotted quad: four decimal parts 0..255 (no shorthand like {@code 10.1}, no octal). */
    static byte[] parseIpv4(String s, String whole) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IPv4 address in \"" + whole + "\"");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("invalid IPv4 address in \"" + whole + "\"");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("invalid IPv4 address in \"" + whole + "\"");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** IPv6 literal without DNS (brackets force literal parsing); mapped IPv4 addresses become 4 bytes. */
    static byte[] parseIpv6(String s, String whole) {
        if (s.isEmpty() || s.length() > 45 || !IPV6_CHARS.matcher(s).matches()) {
            throw new IllegalArgumentException("invalid IPv6 address in \"" + whole + "\"");
        }
        try {
            return normalize(InetAddress.getByName("[" + s + "]").getAddress());
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalArgumentException("invalid IPv6 address in \"" + whole + "\"");
        }
    }

    /** The address bytes, with IPv4-mapped IPv6 addresses reduced to their 4 IPv4 bytes. */
    static byte[] normalize(byte[] a) {
        if (a.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return a;
                }
            }
            if (a[10] == (byte) 0xFF && a[11] == (byte) 0xFF) {
                return Arrays.copyOfRange(a, 12, 16);
            }
        }
        return a;
    }

    /** Dotted quad, or RFC 5952 compressed lower-case IPv6 text. */
    static String addressText(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    private static String stripDot(String s) {
        return s.endsWith(".") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }

    public Kind kind() {
        return kind;
    }

    /** The spec as written. */
    public String text() {
        return text;
    }

    /**
     * A normalized form: two specs with the same canonical form admit exactly the same clients
     * (e.g. {@code 10.0.0.0/255.0.0.0} and {@code 10.0.0.0/8}).
     */
    public String canonical() {
        return canonical;
    }

    /** Whether matching this spec needs the client's host name (a reverse lookup). */
    public boolean needsName() {
        return hostName != null || (kind == Kind.WILDCARD && !numericPattern);
    }

    /** Whether {@code addr} is admitted by this spec; {@code names} is asked only if {@link #needsName()}. */
    public boolean matches(InetAddress addr, HostNameResolver names) {
        byte[] a = normalize(addr.getAddress());
        switch (kind) {
            case ANYONE:
                return true;
            case NETWORK:
                return a.length == address.length && Arrays.equals(mask(a, prefix), address);
            case HOST:
                if (address != null) {
                    return Arrays.equals(a, address);
                }
                return matchesHostName(addr, a, names);
            case WILDCARD:
                if (numericPattern) {
                    return pattern.matcher(addressText(a)).matches();
                }
                Optional<String> name = names.nameOf(addr);
                return name.isPresent() && pattern.matcher(stripDot(name.get())).matches();
            default:
                throw new AssertionError(kind);
        }
    }

    private boolean matchesHostName(InetAddress addr, byte[] a, HostNameResolver names) {
        Optional<String> name = names.nameOf(addr);
        if (name.isPresent() && stripDot(name.get().toLowerCase(Locale.ROOT)).equals(hostName)) {
            return true;
        }
        List<InetAddress> forward = names.addressesOf(hostName);
        if (forward != null) {
            for (InetAddress f : forward) {
                if (Arrays.equals(normalize(f.getAddress()), a)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code addr} is an IPv4 address once IPv4-mapped IPv6 form is undone. */
    static boolean isIpv4(InetAddress addr) {
        return addr instanceof Inet4Address || normalize(addr.getAddress()).length == 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientSpec c && c.kind == kind && c.canonical.equals(canonical);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + canonical.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
