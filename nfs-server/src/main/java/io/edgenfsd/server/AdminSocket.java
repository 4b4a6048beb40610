package io.edgenfsd.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * The local admin socket ({@code /run/edge-nfsd/admin.sock}): a Unix domain stream socket in a 0700
 * directory, itself 0600, and each peer's credentials (SO_PEERCRED) must be root's or the server's own
 * user. One request line per connection ({@code status json}, {@code status table}, {@code reload}); the
 * answer is {@code ok} or {@code error} on its first line, then the text, then the connection closes.
 */
public final class AdminSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminSocket.class);
    public static final Path DEFAULT = Path.of("/run/edge-nfsd/admin.sock");
    private static final int MAX_REQUEST = 256;

    /** An answer to one request. */
    public record Answer(boolean ok, String text) {
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Function<String, Answer> handler;
    private final Semaphore concurrent = new Semaphore(4);
    private final Thread acceptor;

    private AdminSocket(Path path, ServerSocketChannel server, Function<String, Answer> handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        this.acceptor = new Thread(this::acceptLoop, "edge-nfsd-admin");
        acceptor.setDaemon(true);
    }

    /** Creates the directory (0700) and the socket (0600) at {@code path}, replacing a stale socket file. */
    public static AdminSocket open(Path path, Function<String, Answer> handler) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (isAnswering(path)) {
                throw new IOException("another edge-nfsd already answers on " + path);
            }
            Files.delete(path);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        AdminSocket s = new AdminSocket(path, ch, handler);
        s.acceptor.start();
        return s;
    }

    private static boolean isAnswering(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("admin socket {}: {}", path, e.getMessage());
                return;
            }
            if (!concurrent.tryAcquire()) {
                reply(c, new Answer(false, "busy: too many admin requests at once"));
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    serve(c);
                } finally {
                    concurrent.release();
                }
            }, "edge-nfsd-admin-request");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            String user = c.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
            if (!user.equals("root") && !user.equals(System.getProperty("user.name"))) {
                log.warn("admin socket: refused a request from user {}", user);
                reply(c, new Answer(false, "permission denied: only root may use " + path));
                return;
            }
            ByteBuffer buf = ByteBuffer.allocate(MAX_REQUEST);
            while (buf.hasRemaining() && c.read(buf) > 0) {
                if (buf.get(buf.position() - 1) == '\n') {
                    break;
                }
            }
            String request = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
            Answer a;
            try {
                a = handler.apply(request);
            } catch (RuntimeException e) {
                log.warn("admin request \"{}\" failed", request, e);
                a = new Answer(false, "internal error: " + e);
            }
            reply(c, a);
        } catch (IOException e) {
            log.debug("admin socket request: {}", e.getMessage());
        }
    }

    private static void reply(SocketChannel c, Answer a) {
        try {
            byte[] b = ((a.ok() ? "ok\n" : "error\n") + a.text()).getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.wrap(b);
            while (out.hasRemaining()) {
                c.write(out);
            }
        } catch (IOException e) {
            log.debug("admin socket reply: {}", e.getMessage());
        }
    }

    /** Client side: sends {@code request} to the server at {@code path} and returns its answer. */
    public static Answer request(Path path, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            c.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (c.read(buf) >= 0) {
                all.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String s = all.toString(StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            if (nl < 0) {
                throw new IOException("the server closed the admin connection without an answer");
            }
            return new Answer(s.substring(0, nl).equals("ok"), s.substring(nl + 1));
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("closing admin socket: {}", e.getMessage());
        }
    }
}
