package io.edgenfsd.vfs;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile client races symlink swaps against every operation that names or uses an object (issue 11):
 * one connection keeps renaming one of its own directories away and putting a symlink to a directory
 * outside the export in its place (and back), while a second connection of the same caller runs the
 * operation on handles it took while the directory was real. Outside the export lie decoy files (root's,
 * mode 0600) in a world-writable directory. Whatever the timing: no byte outside is read or written, no
 * name outside appears, disappears or changes, and no handle is issued for an outside object.
 *
 * <p>Bounded: each case stops after {@code edge.race.millis} (default 3000) or {@code edge.race.tries}
 * (default 3000) operations, whichever comes first. The exports are {@code async} so the swapper's
 * renames are not slowed by directory fsyncs (the race is the same on {@code sync} exports).
 */
class ExportEscapeRaceTest {
    private static final long MILLIS = Long.getLong("edge.race.millis", 3000);
    private static final int TRIES = Integer.getInteger("edge.race.tries", 3000);
    private static final int PADDING = Integer.getInteger("edge.race.padding", 16);
    /** Comma-separated subset of operations to race (all when unset), for targeted runs. */
    private static final String ONLY = System.getProperty("edge.race.ops", "");
    private static final String SECRET = "OUTSIDE-SECRET-0123456789";
    private static final String INSIDE = "inside-content-abcdefghij";

    @TempDir
    static Path tmp;
    static Path outside;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("the race test needs root (CI runs it as root)").isZero();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        outside = tmp.resolve("outside");
        Files.createDirectories(outside);
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxrwxrwx"));
        for (String n : new String[] {"secret", "victim"}) {
            Path f = outside.resolve(n);
            Files.writeString(f, SECRET);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        for (String e : new String[] {"ns", "rs"}) {
            Path d = tmp.resolve("exp").resolve(e);
            Files.createDirectories(d);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Files.setPosixFilePermissions(tmp.resolve("exp"), PosixFilePermissions.fromString("rwxr-xr-x"));
        server = TestServer.start(tmp.resolve("state"), 1 << 20,
                tmp.resolve("exp/ns") + " *(rw,async,no_root_squash,insecure)",
                tmp.resolve("exp/rs") + " *(rw,async,root_squash,insecure)");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> l = new ArrayList<>();
        for (String op : new String[] {"READ", "WRITE", "OPEN_CREATE", "CREATE", "LOOKUP", "SETATTR", "REMOVE",
                "RENAME", "LINK"}) {
            if (!ONLY.isEmpty() && !Arrays.asList(ONLY.split(",")).contains(op)) {
                continue;
            }
            for (String export : new String[] {"ns", "rs"}) {
                for (int uid : new int[] {0, 1000}) {
                    l.add(Arguments.of(op, export, uid));
                }
            }
        }
        return l.stream();
    }

    /** What lies outside: every name with its type, mode, size, link count, mtime and content. */
    private static TreeMap<String, String> snapshotOutside() throws Exception {
        TreeMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(outside)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                var a = Files.readAttributes(p, "unix:mode,size,nlink,lastModifiedTime,ino", LinkOption.NOFOLLOW_LINKS);
                String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : "";
                m.put(p.getFileName().toString(), a.toString() + " " + content);
            }
        }
        return m;
    }

    private static Set<Long> outsideInodes() throws Exception {
        Set<Long> s = new HashSet<>();
        s.add(((Number) Files.getAttribute(outside, "unix:ino")).longValue());
        try (Stream<Path> l = Files.list(outside)) {
            for (Path p : (Iterable<Path>) l::iterator) {
                s.add(((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue());
            }
        }
        return s;
    }

    @ParameterizedTest(name = "{0} on {1} as uid {2}")
    @MethodSource("cases")
    void aSymlinkSwapRacedAgainstTheOperationNeverReachesOutsideTheExport(String op, String export, int uid)
            throws Exception {
        Cred cred = uid == 0 ? Cred.root() : Cred.sys(uid, uid);
        Path exportRoot = tmp.resolve("exp").resolve(export);
        String caseName = op + "-" + uid;
        try (NfsSession racer = server.session(cred); NfsSession victim = server.session(cred)) {
            byte[] rootFh = victim.lookupPath(exportRoot.toString());
            byte[] a = victim.mkdir(rootFh, caseName);
            byte[] d = victim.mkdir(a, "d");
            var secret = victim.create(d, "secret", Attrs.mode(0666));
            victim.write(secret, 0, INSIDE.getBytes(StandardCharsets.UTF_8), Op.FILE_SYNC);
            var file = victim.create(d, "victim", Attrs.mode(0666));
            victim.write(file, 0, INSIDE.getBytes(StandardCharsets.UTF_8), Op.FILE_SYNC);
            Files.setPosixFilePermissions(exportRoot.resolve(caseName), PosixFilePermissions.fromString("rwxrwxrwx"));

            TreeMap<String, String> before = snapshotOutside();
            Set<Long> outsideIno = outsideInodes();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong swaps = new AtomicLong();
            int ok = 0;
            Thread swapper = new Thread(() -> {
                while (!stop.get()) {
                    racer.compound(c -> c.putfh(a).savefh().rename("d", "d.real")
                            .symlink("d", outside.toString(), Attrs.none()));
                    racer.compound(c -> c.putfh(a).remove("d").savefh().rename("d.real", "d"));
                    swaps.incrementAndGet();
                }
            }, "swapper");
            swapper.setDaemon(true);
            swapper.start();
            List<String> escapes = new ArrayList<>();
            int tries = 0;
            long deadline = System.currentTimeMillis() + MILLIS;
            try {
                while (tries < TRIES && System.currentTimeMillis() < deadline && escapes.isEmpty()) {
                    tries++;
                    String n = "n" + tries;
                    long stamp = 1_000_000L + tries;
                    switch (op) {
                        case "READ" -> {
                            CompoundReply r = victim.compound(c -> padded(c.putfh(secret.fh()))
                                    .read(secret.stateid(), 0, 100));
                            CompoundReply r2 = victim.compound(c -> padded(c.putfh(secret.fh()))
                                    .read(Stateid.ANONYMOUS, 0, 100));
                            for (CompoundReply x : List.of(r, r2)) {
                                ok += x.last().status() == NfsStatus.OK ? 1 : 0;
                                if (x.last().status() == NfsStatus.OK && new String(x.last().as(Res.Read.class).data(),
                                        StandardCharsets.UTF_8).contains("OUTSIDE")) {
                                    escapes.add("READ returned outside data");
                                }
                            }
                        }
                        case "WRITE" -> {
                            byte[] w = ("PWNED" + tries).getBytes(StandardCharsets.UTF_8);
                            ok += okLast(victim.compound(c -> padded(c.putfh(file.fh())).write(file.stateid(), 0,
                                    Op.UNSTABLE, w)));
                            victim.compound(c -> padded(c.putfh(file.fh())).write(Stateid.ANONYMOUS, 0, Op.UNSTABLE, w));
                        }
                        case "SETATTR" -> {
                            ok += okLast(victim.compound(c -> padded(c.putfh(file.fh())).setattr(file.stateid(),
                                    Attrs.none().withSize(3))));
                            victim.compound(c -> padded(c.putfh(file.fh())).setattr(Stateid.ANONYMOUS,
                                    Attrs.mode(0644).withMtime(stamp)));
                        }
                        case "OPEN_CREATE" -> ok += okLast(victim.compound(c -> padded(c.putfh(d)).openCreate(
                                Op.ACCESS_BOTH, Op.DENY_NONE, victim.clientId(), victim.openOwner(), Op.UNCHECKED,
                                Attrs.mode(0644), null, n)));
                        case "CREATE" -> ok += okLast(victim.compound(c -> padded(c.putfh(d)).mkdir(n, Attrs.mode(0755))));
                        case "LOOKUP" -> {
                            CompoundReply r = victim.compound(c -> padded(c.putfh(d)).lookup("secret").getfh()
                                    .getattr(Fattr.FILEID));
                            ok += okLast(r);
                            if (r.last().status() == NfsStatus.OK
                                    && outsideIno.contains(r.last().as(Fattr.class).fileid())) {
                                escapes.add("LOOKUP issued a handle for an outside object");
                            }
                        }
                        case "REMOVE" -> {
                            CompoundReply r = victim.compound(c -> padded(c.putfh(d)).remove("victim"));
                            ok += okLast(r);
                            if (r.last().status() == NfsStatus.OK) {
                                victim.compound(c -> c.putfh(d).openCreate(Op.ACCESS_BOTH, Op.DENY_NONE,
                                        victim.clientId(), victim.openOwner(), Op.UNCHECKED, Attrs.mode(0666), null,
                                        "victim"));
                            }
                        }
                        case "RENAME" -> {
                            ok += okLast(victim.compound(c -> padded(c.putfh(d).savefh()).rename("victim", "moved")));
                            victim.compound(c -> padded(c.putfh(d).savefh()).rename("moved", "victim"));
                        }
                        case "LINK" -> {
                            ok += okLast(victim.compound(c -> padded(c.putfh(file.fh()).savefh().putfh(d)).link(n)));
                            victim.compound(c -> padded(c.putfh(secret.fh()).savefh().putfh(d)).link(n + "s"));
                        }
                        default -> throw new IllegalArgumentException(op);
                    }
                    if (!op.equals("READ") && !op.equals("LOOKUP") && tries % 50 == 0
                            && !snapshotOutside().equals(before)) {
                        escapes.add(op + " changed something outside the export");
                    }
                }
            } finally {
                stop.set(true);
                swapper.join(10_000);
            }
            TreeMap<String, String> after = snapshotOutside();
            if (!after.equals(before)) {
                escapes.add(op + " changed outside: " + diff(before, after));
            }
            System.out.printf("race %s on %s as uid %d: %d tries (%d succeeded), %d swaps, escapes %s%n", op,
                    export, uid, tries, ok, swaps.get(), escapes);
            assertThat(swaps.get()).as("the swapper ran").isPositive();
            assertThat(ok).as("the operation under attack still works on the caller's own objects").isPositive();
            assertThat(escapes).as("%s on %s as uid %d after %d tries and %d swaps", op, export, uid, tries,
                    swaps.get()).isEmpty();
        } finally {
            restoreOutside();
        }
    }

    private static int okLast(CompoundReply r) {
        return r.last().status() == NfsStatus.OK ? 1 : 0;
    }

    /** Operations that widen the window between PUTFH and the operation, as a hostile client may send. */
    private static io.edgenfsd.client.Compound padded(io.edgenfsd.client.Compound c) {
        for (int i = 0; i < PADDING; i++) {
            c.getattr(Fattr.TYPE);
        }
        return c;
    }

    private static String diff(TreeMap<String, String> a, TreeMap<String, String> b) {
        Set<String> names = new HashSet<>(a.keySet());
        names.addAll(b.keySet());
        List<String> d = new ArrayList<>();
        for (String n : names) {
            if (!String.valueOf(a.get(n)).equals(String.valueOf(b.get(n)))) {
                d.add(n + ": " + a.get(n) + " -> " + b.get(n));
            }
        }
        return String.join("; ", d);
    }

    /** Puts the decoys back as they were, so one broken case does not hide the others. */
    private static void restoreOutside() throws Exception {
        try (Stream<Path> s = Files.list(outside)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (!Arrays.asList("secret", "victim").contains(n) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        try (Stream<Path> w = Files.walk(p)) {
                            w.sorted((x, y) -> y.compareTo(x)).forEach(x -> x.toFile().delete());
                        }
                    } else {
                        Files.delete(p);
                    }
                }
            }
        }
        for (String n : new String[] {"secret", "victim"}) {
            Path f = outside.resolve(n);
            Files.deleteIfExists(f);
            Files.writeString(f, SECRET);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1_500_000_000_000L));
        }
    }
}
