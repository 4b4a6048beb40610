package io.edgenfsd.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads exports files into tagged lines.
 *
 * <p>Drop-in directory rule: when the file {@code F} lies under {@code /etc}, the files
 * {@code F.d/*.exports} are read after it, if that directory exists. For {@code /etc/exports} this is
 * exactly knfsd's {@code /etc/exports.d/*.exports}; for the packaged {@code /etc/edge-nfsd/exports} it is
 * {@code /etc/edge-nfsd/exports.d/*.exports}. knfsd's own {@code /etc/exports.d} is NOT read for a file
 * other than {@code /etc/exports}: a box moving from nfs-kernel-server to edge-nfsd must not pick up
 * exports meant for the kernel server by accident. Drop-ins are read in byte order of their names; names
 * starting with "." and entries that are not regular files are skipped (as exportfs does). Files outside
 * /etc (tests, {@code --exports ./my-exports}) never pull in drop-ins.
 *
 * <p>Files are read as UTF-8 (malformed bytes become U+FFFD); a missing or unreadable file, or an
 * unreadable drop-in directory, is an {@link ExportsException} naming it.
 */
public final class ExportsFile {
    /** Drop-in files must end with this, as for knfsd. */
    public static final String DROP_IN_SUFFIX = ".exports";

    private ExportsFile() {
    }

    /** {@code file} and, when it is under /etc, its {@code F.d/*.exports} drop-ins. */
    public static List<SourcedLine> load(Path file) throws ExportsException {
        return load(file, Path.of("/etc"));
    }

    /** As {@link #load(Path)}, with drop-ins read for files under {@code etcRoot} (tests use a temp dir). */
    static List<SourcedLine> load(Path file, Path etcRoot) throws ExportsException {
        List<SourcedLine> out = new ArrayList<>(readOne(file));
        Path abs = file.toAbsolutePath().normalize();
        if (abs.startsWith(etcRoot.toAbsolutePath().normalize())) {
            for (Path dropIn : dropIns(abs)) {
                out.addAll(readOne(dropIn));
            }
        }
        return out;
    }

    /** The drop-in files that would be read for {@code file}, in reading order. */
    static List<Path> dropIns(Path file) throws ExportsException {
        Path dir = file.resolveSibling(file.getFileName() + ".d");
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && name.endsWith(DROP_IN_SUFFIX)
                        && name.length() > DROP_IN_SUFFIX.length() && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            throw new ExportsException(dir.toString(), 0, "cannot list drop-in directory: " + e);
        }
        found.sort((a, b) -> java.util.Arrays.compareUnsigned(
                a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
                b.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
        return found;
    }

    private static List<SourcedLine> readOne(Path file) throws ExportsException {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ExportsException(file.toString(), 0, "no such file");
        } catch (IOException e) {
            throw new ExportsException(file.toString(), 0, "cannot read: " + e.getMessage(), e);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return SourcedLine.of(lines, file.toString());
    }
}
