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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The clients that may reclaim after a restart (RFC 8881 section 8.4.2.1): the co_ownerid of every
 * confirmed client, kept in {@code <state-dir>/clients}, one base64 line each. Rewritten atomically
 * (temporary file, fsync, rename, directory fsync) whenever the set changes, so a power cut leaves either
 * the old or the new list.
 */
public final class ClientStore {
    private final Path file;
    private final Set<String> owners = new HashSet<>();

    public ClientStore(Path stateDir) {
        this.file = stateDir.resolve("clients");
    }

    /** The clients recorded by the previous run. */
    public synchronized Set<String> load() throws IOException {
        owners.clear();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String l = line.trim();
                if (!l.isEmpty()) {
                    Base64.getDecoder().decode(l); // reject a corrupt line loudly
                    owners.add(l);
                }
            }
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": corrupt client record: " + e.getMessage());
        }
        return Set.copyOf(owners);
    }

    public static String key(byte[] ownerId) {
        return Base64.getEncoder().encodeToString(ownerId);
    }

    public synchronized void add(byte[] ownerId) throws IOException {
        if (owners.add(key(ownerId))) {
            write();
        }
    }

    public synchronized void remove(byte[] ownerId) throws IOException {
        if (owners.remove(key(ownerId))) {
            write();
        }
    }

    /** Keeps only the given clients (those that reclaimed, at the end of grace). */
    public synchronized void retain(Set<String> keep) throws IOException {
        if (owners.retainAll(keep)) {
            write();
        }
    }

    private void write() throws IOException {
        Path tmp = file.resolveSibling("clients.tmp");
        List<String> lines = new ArrayList<>(owners);
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
