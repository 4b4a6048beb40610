package io.edgenfsd.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random garbage: the loader may refuse it, but only ever with an ExportsException. */
class ExportsFuzzTest {
    private static final long SEED = 0x5EED_2049L;
    private static final int ROUNDS = 20_000;

    private static final String[] PIECES = {
        "/", "/srv", "/var/nfs-k8s", "//x/", "/a/./b", "/../", "..", "srv", "\"", "\"/my dir\"", "\\", "\\040",
        "\\377", "\\000", "\\12", "#", " ", "\t", "(", ")", "()", ",", "=", "-", "-rw", "-ro,async", "*", "**",
        "?", "[", "]", "[a-", "[!x]", "@", "@grp", "10.0.0.1", "10.0.0.0/8", "/8", "/33", "/255.255.0.0",
        "/255.0.255.0", "::1", "fd00::/64", "[::1]", "::ffff:1.2.3.4", "::ffff:1.2.3.4/100", "fe80::1%eth0",
        "1.2.3", "999.1.1.1", "*.lan", "host?.lan", "pi[0-9].lan", "gss/krb5", "node1", "a..b", "rw", "ro",
        "sync", "async", "no_root_squash", "root_squash", "all_squash", "anonuid=", "anonuid=-2", "anongid=x",
        "anonuid=99999999999999999999", "fsid=", "fsid=root", "fsid=0x", "fsid=0xffffffff", "fsid=1",
        "fsid=12345678901234567890123456789012", "sec=sys", "sec=krb5", "sec=", "sec=:", "mp", "mp=", "mp=/x",
        "refer=/a@b", "xprtsec=none", "xprtsec=", "subtree_check", "no_acl", "\u00e9", "\ud83d\ude00", "\u0000",
        "\r", "\uFEFF", "%", "$", "'", "`", ";",
    };

    private static final ch.qos.logback.classic.Logger PACKAGE_LOG =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.edgenfsd.export");
    private static ch.qos.logback.classic.Level savedLevel;

    /** Thousands of "no client given" warnings would drown the build output. */
    @org.junit.jupiter.api.BeforeAll
    static void quiet() {
        savedLevel = PACKAGE_LOG.getLevel();
        PACKAGE_LOG.setLevel(ch.qos.logback.classic.Level.ERROR);
    }

    @org.junit.jupiter.api.AfterAll
    static void loud() {
        PACKAGE_LOG.setLevel(savedLevel);
    }

    private static String garbageLine(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(r.nextBoolean() ? 4 : 12);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(5)) {
                case 0 -> sb.append((char) r.nextInt(0x80));
                case 1 -> sb.append((char) r.nextInt(0x10000));
                default -> sb.append(PIECES[r.nextInt(PIECES.length)]);
            }
            if (r.nextInt(3) == 0) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    private static InetAddress randomAddress(Random r) throws UnknownHostException {
        byte[] b = new byte[r.nextBoolean() ? 4 : 16];
        r.nextBytes(b);
        if (b.length == 16 && r.nextInt(4) == 0) {
            for (int i = 0; i < 10; i++) {
                b[i] = 0;
            }
            b[10] = (byte) 0xFF;
            b[11] = (byte) 0xFF;
        }
        return InetAddress.getByAddress(b);
    }

    @Test
    void garbageLinesOnlyEverCauseExportsException() throws Exception {
        Random r = new Random(SEED);
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<String> lines = new ArrayList<>();
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                // half the lines start like a real entry, so parsing gets past the path more often
                lines.add(r.nextBoolean() ? "/srv" + r.nextInt(3) + " " + garbageLine(r) : garbageLine(r));
            }
            ExportTable t;
            try {
                t = ExportTable.fromLines(lines, "fuzz");
            } catch (ExportsException e) {
                assertThat(e.getMessage()).startsWith("fuzz");
                assertThat(e.line()).isBetween(0, n);
                refused++;
                continue;
            } catch (RuntimeException | Error e) {
                fail("round " + round + " (seed " + SEED + ") threw " + e + " for lines " + lines, e);
                return;
            }
            accepted++;
            String name = garbageLine(r);
            HostNameResolver names = a -> Optional.of(name);
            for (Export e : t.exports()) {
                assertThat(e.path()).startsWith("/");
                assertThat(e.id()).isPositive();
                try {
                    e.optionsFor(randomAddress(r), names);
                    e.optionsFor(randomAddress(r), HostNameResolver.none());
                } catch (RuntimeException ex) {
                    fail("round " + round + " matching threw " + ex + " for lines " + lines, ex);
                }
            }
        }
        // the generator must exercise both outcomes, or the test proves little
        System.out.println("fuzz: accepted " + accepted + ", refused " + refused);
        assertThat(accepted).isGreaterThan(ROUNDS / 50);
        assertThat(refused).isGreaterThan(ROUNDS / 20);
    }

    @Test
    void garbageClientSpecsOnlyEverCauseIllegalArgumentException() {
        Random r = new Random(SEED + 1);
        for (int round = 0; round < ROUNDS; round++) {
            String text = garbageLine(r).strip();
            try {
                ClientSpec s = ClientSpec.parse(text);
                s.matches(randomAddress(r), a -> Optional.of(text));
            } catch (IllegalArgumentException expected) {
                // refused: fine
            } catch (Exception | Error e) {
                fail("round " + round + " threw " + e + " for \"" + text + "\"", e);
            }
        }
    }

    @Test
    void mutatedValidLinesOnlyEverCauseExportsException() {
        String[] valid = {
            "/var/nfs-k8s *(rw,sync,no_root_squash,no_all_squash)",
            "/srv -rw,async 10.0.0.0/8 192.168.1.0/255.255.255.0(ro) *.lan(rw,all_squash,anonuid=1000)",
            "\"/mnt/usb disk\" fd00::/64(rw,fsid=7) [::1](rw) host?.lan(ro,sec=sys)",
        };
        Random r = new Random(SEED + 2);
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder sb = new StringBuilder(valid[r.nextInt(valid.length)]);
            int edits = 1 + r.nextInt(4);
            for (int k = 0; k < edits && sb.length() > 0; k++) {
                int at = r.nextInt(sb.length());
                switch (r.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, PIECES[r.nextInt(PIECES.length)]);
                    default -> sb.setCharAt(at, (char) (32 + r.nextInt(95)));
                }
            }
            try {
                ExportTable.fromLines(List.of(sb.toString()), "m");
            } catch (ExportsException expected) {
                assertThat(expected.getMessage()).startsWith("m:1: ");
            } catch (RuntimeException | Error e) {
                fail("round " + round + " threw " + e + " for \"" + sb + "\"", e);
            }
        }
    }
}
