package io.edgenfsd.vfs.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} over an fd this process opened itself (by kernel handle), never by path. For
 * reading, the JDK's own channel is used when {@code java.io} is open to us ({@code Add-Opens: java.base/java.io} in the jar
 * manifest, {@code --add-opens} in tests), so sendfile works on it; otherwise a small channel doing
 * pread/pwrite (READ then copies instead of sendfile). The channel owns the fd: closing it closes the fd.
 */
public final class FdChannels {
    private FdChannels() {
    }

    private static final Field FD = fdField();

    private static Field fdField() {
        try {
            Field f = FileDescriptor.class.getDeclaredField("fd");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** True when channels are the JDK's own (zero-copy sendfile possible through Netty's DefaultFileRegion). */
    public static boolean nativeChannels() {
        return FD != null;
    }

    /** A channel owning {@code fd}, readable or writable as the fd was opened ({@code write}: O_RDWR). */
    public static FileChannel of(int fd, boolean write) {
        // writes (and the fsyncs of COMMIT) go through pwrite/fsync here so their errno (ENOSPC, EDQUOT, EIO)
        // reaches the client as such: the JDK's channel reports only the message text
        if (FD != null && !write) {
            FileDescriptor d = new FileDescriptor();
            try {
                FD.setInt(d, fd);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            return new FileInputStream(d).getChannel();
        }
        return new PositionalChannel(fd);
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} only if they are all in the page cache:
     * preadv2 with RWF_NOWAIT (Linux 4.14+). Returns the bytes read (fewer only at the end of the file), or
     * -1 when the read would wait on the disk, the filesystem cannot tell, or the call is missing (the caller
     * then reads on a thread that may wait). {@code dst} must be a direct buffer; its position is not moved.
     */
    public static int readWithoutWaiting(int fd, ByteBuffer dst, long offset) {
        int n = dst.remaining();
        if (!NoWaitIo.AVAILABLE || !dst.isDirect()) {
            return -1;
        }
        if (n == 0) {
            return 0;
        }
        Memory iov = NoWaitIo.IOV.get();
        Pointer base = Native.getDirectBufferPointer(dst).share(dst.position());
        int got = 0;
        // a short read is the end of the file or a part not cached: only the next call (0 at EOF) tells
        while (got < n) {
            iov.setPointer(0, base.share(got));
            if (Native.SIZE_T_SIZE == 8) {
                iov.setLong(Native.POINTER_SIZE, n - got);
            } else {
                iov.setInt(Native.POINTER_SIZE, n - got);
            }
            long r;
            do {
                r = NoWaitIo.preadv64v2(fd, iov, 1, offset + got, NoWaitIo.RWF_NOWAIT).longValue();
            } while (r < 0 && Native.getLastError() == At.EINTR);
            if (r < 0) {
                return -1; // EAGAIN: not all cached; EOPNOTSUPP: no RWF_NOWAIT here; else the worker reports it
            }
            if (r == 0) {
                break;
            }
            got += (int) r;
        }
        return got;
    }

    /** preadv2 (glibc 2.26+), apart so that an older libc only loses this call. */
    static final class NoWaitIo {
        static final int RWF_NOWAIT = 0x08;
        static final boolean AVAILABLE = LinuxCalls.registerDirect(NoWaitIo.class);
        static final ThreadLocal<Memory> IOV = ThreadLocal.withInitial(() -> new Memory(2L * Native.POINTER_SIZE));

        private NoWaitIo() {
        }

        static native NativeLong preadv64v2(int fd, Pointer iov, int iovcnt, long offset, int flags);
    }

    /** pread/pwrite, direct-mapped. */
    static final class Io {
        static final boolean AVAILABLE = LinuxCalls.registerDirect(Io.class);

        private Io() {
        }

        static native NativeLong pread64(int fd, Pointer buf, NativeLong count, long offset);

        static native NativeLong pwrite64(int fd, Pointer buf, NativeLong count, long offset);
    }

    /** The fallback channel: positional reads and writes, size, force; nothing else is used by the server. */
    static final class PositionalChannel extends FileChannel {
        private final int fd;
        private long position;

        PositionalChannel(int fd) {
            this.fd = fd;
        }

        private int transfer(ByteBuffer b, long offset, boolean write) throws IOException {
            int n = b.remaining();
            if (n == 0) {
                return 0;
            }
            ByteBuffer direct = b.isDirect() ? b : ByteBuffer.allocateDirect(n);
            if (write && !b.isDirect()) {
                direct.put(b.duplicate()).flip();
            }
            Pointer p = Native.getDirectBufferPointer(direct).share(direct.position());
            long r;
            do {
                r = (write ? Io.pwrite64(fd, p, new NativeLong(n), offset) : Io.pread64(fd, p, new NativeLong(n), offset))
                        .longValue();
            } while (r < 0 && Native.getLastError() == At.EINTR);
            if (r < 0) {
                throw ErrnoException.of(Native.getLastError(), write ? "pwrite" : "pread", "fd");
            }
            if (!b.isDirect() && !write && r > 0) {
                direct.limit((int) r);
                b.put(direct);
            } else {
                b.position(b.position() + (int) r);
            }
            return r == 0 && !write ? -1 : (int) r;
        }

        @Override
        public int read(ByteBuffer dst, long pos) throws IOException {
            return transfer(dst, pos, false);
        }

        @Override
        public int write(ByteBuffer src, long pos) throws IOException {
            return transfer(src, pos, true);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = read(dst, position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = write(src, position);
            position += n;
            return n;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            long t = 0;
            for (int i = offset; i < offset + length; i++) {
                int n = read(dsts[i]);
                if (n <= 0) {
                    return t == 0 ? n : t;
                }
                t += n;
            }
            return t;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long t = 0;
            for (int i = offset; i < offset + length; i++) {
                t += write(srcs[i]);
            }
            return t;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public FileChannel position(long p) {
            position = p;
            return this;
        }

        @Override
        public long size() throws IOException {
            return At.fstat(fd).size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            At.ftruncate(fd, size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            At.fsync(fd, metaData);
        }

        @Override
        public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
            ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(count, 64 * 1024));
            long done = 0;
            while (done < count) {
                b.clear().limit((int) Math.min(b.capacity(), count - done));
                int n = read(b, pos + done);
                if (n <= 0) {
                    break;
                }
                b.flip();
                while (b.hasRemaining()) {
                    target.write(b);
                }
                done += n;
            }
            return done;
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long pos, long count) {
            throw new UnsupportedOperationException("transferFrom");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long pos, long size) {
            throw new UnsupportedOperationException("map");
        }

        @Override
        public FileLock lock(long pos, long size, boolean shared) {
            throw new UnsupportedOperationException("lock");
        }

        @Override
        public FileLock tryLock(long pos, long size, boolean shared) {
            throw new UnsupportedOperationException("tryLock");
        }

        @Override
        protected void implCloseChannel() {
            At.close(fd);
        }
    }
}
