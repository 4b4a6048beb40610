package io.edgenfsd.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The clients that may reclaim after a restart (RFC 8881 section 8.4.2.1): the co_ownerid of every
 * confirmed client and the principal that made it (section 2.10.6.5), kept in {@code <state-dir>/clients},
 * one line each: base64 owner, a space, the principal's token (lines of older versions have no token). Rewritten atomically
 * (temporary file, fsync, rename, directory fsync) whenever the set changes, so a power cut leaves either
 * the old or the new list.
 *
 * <p>The writes are done by one writer thread, never by the caller and never under a state lock: a change
 * returns a future that completes once a file containing it is durable. Changes that arrive while a write is
 * queued share it, so 3,000 leases expiring at once cost one rewrite, not 3,000.
 */
public final class ClientStore {
    private final Path file;
    /** Owner key to principal token ("" when the line had none). */
    private final Map<String, String> owners = new HashMap<>();
    /** The write that will contain every change made so far, if one is queued and not yet started. */
    private CompletableFuture<Void> pending;
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "edge-nfsd-client-store");
                t.setDaemon(true);
                return t;
            });

    public ClientStore(Path stateDir) {
        this.file = stateDir.resolve("clients");
        writer.allowCoreThreadTimeOut(true);
    }

    /** The clients recorded by the previous run (read once at startup, before any client is served). */
    public synchronized Set<String> load() throws IOException {
        owners.clear();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String l = line.trim();
                if (!l.isEmpty()) {
                    int sp = l.indexOf(' ');
                    String k = sp < 0 ? l : l.substring(0, sp);
                    Base64.getDecoder().decode(k); // reject a corrupt line loudly
                    owners.put(k, sp < 0 ? "" : l.substring(sp + 1).trim());
                }
            }
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": corrupt client record: " + e.getMessage());
        }
        return Set.copyOf(owners.keySet());
    }

    /** The principal token recorded with a client, "" if its line had none, null if it is not recorded. */
    public synchronized String recordedPrincipal(String key) {
        return owners.get(key);
    }

    public static String key(byte[] ownerId) {
        return Base64.getEncoder().encodeToString(ownerId);
    }

    public synchronized CompletableFuture<Void> add(byte[] ownerId, String principalToken) {
        String before = owners.put(key(ownerId), principalToken);
        return principalToken.equals(before) ? CompletableFuture.completedFuture(null) : schedule();
    }

    public synchronized CompletableFuture<Void> remove(byte[] ownerId) {
        return owners.remove(key(ownerId)) != null ? schedule() : CompletableFuture.completedFuture(null);
    }

    /** Removes the clients with these keys (those that did not reclaim, at the end of grace). */
    public synchronized CompletableFuture<Void> removeKeys(Collection<String> keys) {
        return owners.keySet().removeAll(keys) ? schedule() : CompletableFuture.completedFuture(null);
    }

    public synchronized int size() {
        return owners.size();
    }

    /**
     * Stops the writer once the writes already queued are done (a clean stop keeps every recorded client),
     * waiting at most a few seconds; later changes are no longer written.
     */
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<Void> schedule() {
        if (pending == null) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending = f;
            try {
                writer.execute(() -> flush(f));
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                pending = null;
                f.completeExceptionally(new IOException("client record store closed"));
            }
        }
        return pending;
    }

    private void flush(CompletableFuture<Void> done) {
        List<String> lines;
        synchronized (this) {
            lines = new ArrayList<>();
            owners.forEach((k, p) -> lines.add(p.isEmpty() ? k : k + " " + p));
            pending = null; // changes from here on need (and queue) another write
        }
        try {
            write(lines);
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    private void write(List<String> lines) throws IOException {
        Path tmp = file.resolveSibling("clients.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap((String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
