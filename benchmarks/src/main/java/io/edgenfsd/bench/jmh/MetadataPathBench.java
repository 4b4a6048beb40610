package io.edgenfsd.bench.jmh;

import io.edgenfsd.export.ExportTable;
import io.edgenfsd.vfs.HandleStore;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.KernelHandleStore;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.vfs.linux.FileHandleCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.reflect.Constructor;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The metadata path of LocalFs as a worker runs it (issue 11's criterion: the fd-relative VFS no slower than
 * the path-string one): PUTFH of a directory's handle, LOOKUP of a name in it and GETATTR's attributes,
 * with kernel handles (needs CAP_DAC_READ_SEARCH: run as root). Only calls the path-string build b35b94a
 * has too, so one build's classes can be measured against another's by putting its jar first on the
 * class path ({@code java -cp edge-nfsd.jar:benchmarks/target/benchmarks.jar org.openjdk.jmh.Main
 * MetadataPathBench}); the .deb's JIT setting (C1 only) is what the server runs with.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms64m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"})
public class MetadataPathBench {
    private Path dir;
    private LocalFs fs;
    private byte[] dirFh;
    private final InetAddress client = InetAddress.getLoopbackAddress();

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory(Path.of("/var/tmp"), "edge-jmh-meta");
        Files.writeString(Files.createDirectory(dir.resolve("d")).resolve("f"), "data");
        ExportTable exports = ExportTable.fromLines(List.of(dir + " *(rw,no_root_squash)"), "bench");
        HandleStore handles = new KernelHandleStore(FileHandleCodec.withKey(new byte[FileHandleCodec.KEY_SIZE]), exports);
        fs = newLocalFs(exports, handles);
        Inode root = fs.exportRoot(exports.exports().get(0));
        dirFh = fs.lookup(root, "d", client).handle();
    }

    /** LocalFs(exports, handles) in the path-string build, (exports, handles, identity) since issue 11. */
    private static LocalFs newLocalFs(ExportTable exports, HandleStore handles) throws Exception {
        for (Constructor<?> c : LocalFs.class.getConstructors()) {
            Class<?>[] p = c.getParameterTypes();
            if (p.length == 2) {
                return (LocalFs) c.newInstance(exports, handles);
            }
            if (p.length == 3 && p[2].getSimpleName().equals("ThreadIdentity")) {
                return (LocalFs) c.newInstance(exports, handles, p[2].getField("NONE").get(null));
            }
        }
        throw new IllegalStateException("no LocalFs constructor this benchmark knows");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Files.delete(dir.resolve("d").resolve("f"));
        Files.delete(dir.resolve("d"));
        Files.delete(dir);
    }

    /** PUTFH + LOOKUP + GETFH + GETATTR as the ops call the VFS (GETATTR takes LOOKUP's attributes if it has them). */
    @Benchmark
    public long putfhLookupGetattr() throws Exception {
        Inode d = fs.resolve(dirFh, client);
        Inode f = fs.lookup(d, "f", client);
        Stat st = f.resolvedStat() != null ? f.resolvedStat() : fs.stat(f);
        return st.size() + f.handle().length;
    }

    /** PUTFH + GETATTR of the directory's handle. */
    @Benchmark
    public long putfhGetattr() throws Exception {
        Inode d = fs.resolve(dirFh, client);
        Stat st = d.resolvedStat() != null ? d.resolvedStat() : fs.stat(d);
        return st.size();
    }
}
