package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding a cached object by (dev, ino), as LOOKUP from the dentry cache does (LocalFs.lookupIfCached). */
class ObjectCacheTest {
    @TempDir
    Path tmp;

    @Test
    void theOneHandleOfAnObjectInItsExportIsFoundByDevAndInoButNotInAnotherExport() throws Exception {
        List<Export> ex = ExportTable.fromLines(List.of(tmp + "/a *(rw)", tmp + "/b *(rw)"), "test").exports();
        FsObject o = FsObjectRetireTest.open(Files.writeString(tmp.resolve("f"), "data"));
        ObjectCache cache = new ObjectCache(16);
        byte[] fh = {1, 2, 3};
        cache.put(fh, ex.get(0), o);

        ObjectCache.Known k = cache.only(ex.get(0), o.dev, o.ino);
        assertThat(k).isNotNull();
        assertThat(k.handle()).isEqualTo(fh);
        assertThat(k.object()).isSameAs(o);
        k.handle()[0] = 9;
        assertThat(cache.only(ex.get(0), o.dev, o.ino).handle()).as("a copy, not the cache's bytes").isEqualTo(fh);
        assertThat(cache.only(ex.get(1), o.dev, o.ino)).as("another export's handles differ").isNull();
        assertThat(cache.only(ex.get(0), o.dev, o.ino + 1)).isNull();
    }

    @Test
    void twoHandlesOfOneObjectOrARetiredObjectGiveNoAnswer() throws Exception {
        Export e = ExportTable.fromLines(List.of(tmp + " *(rw)"), "test").exports().get(0);
        Path f = Files.writeString(tmp.resolve("f"), "data");
        FsObject o = FsObjectRetireTest.open(f);
        ObjectCache cache = new ObjectCache(16);
        cache.put(new byte[] {1}, e, o);
        cache.put(new byte[] {2}, e, o);
        assertThat(cache.only(e, o.dev, o.ino)).as("which handle LOOKUP gives is not ours to pick").isNull();
        cache.remove(new byte[] {2});
        assertThat(cache.only(e, o.dev, o.ino)).isNotNull();

        Files.delete(f);
        FsObject.retireAll(o.dev, o.ino); // its fd no longer holds the inode: the number may be reused
        assertThat(cache.only(e, o.dev, o.ino)).isNull();
    }
}
