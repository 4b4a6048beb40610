package io.edgenfsd.vfs;

import io.edgenfsd.vfs.linux.At;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Retiring the fds of an inode whose last name is gone, and the pin an OPEN puts on them. */
class FsObjectRetireTest {
    @TempDir
    Path tmp;

    /** An O_PATH object of {@code p}, as LocalFs holds one. */
    static FsObject open(Path p) throws Exception {
        int fd = At.openTrusted(p.toString(), LinuxCalls.O_PATH);
        return new FsObject(fd, At.fstat(fd));
    }

    private static boolean reachesItsInode(FsObject o) throws Exception {
        return o.sameObject(At.fstat(o.fd));
    }

    @Test
    void everyFdOfAnUnlinkedInodeIsRetiredButALinkedOneIsLeft() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "data");
        FsObject a = open(f);
        FsObject b = open(f);
        FsObject.retireAll(a.dev, a.ino);
        assertThat(reachesItsInode(a)).as("still linked: nothing retired").isTrue();

        Files.delete(f);
        FsObject.retireAll(a.dev, a.ino);
        assertThat(reachesItsInode(a)).isFalse();
        assertThat(reachesItsInode(b)).isFalse();
        assertThat(At.fstat(a.fd).nlink()).as("an empty nameless file in its place").isZero();
    }

    @Test
    void aPinnedInodeKeepsItsFdsUntilTheLastUnpin() throws Exception {
        Path f = Files.writeString(tmp.resolve("open"), "data");
        FsObject held = open(f);
        FsObject other = open(f);
        held.pin();
        held.pin();
        Files.delete(f);
        FsObject.retireAll(held.dev, held.ino);
        assertThat(reachesItsInode(held)).as("pinned by an open").isTrue();
        assertThat(reachesItsInode(other)).as("every fd of a pinned inode stays").isTrue();
        held.unpin();
        assertThat(reachesItsInode(held)).as("one pin left").isTrue();
        held.unpin();
        assertThat(reachesItsInode(held)).isFalse();
        assertThat(reachesItsInode(other)).isFalse();
    }
}
