package io.edgenfsd.export;

import static io.edgenfsd.export.FakeNames.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportsFileTest {
    @TempDir
    Path tmp;

    private Path write(Path p, String text) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void loadReadsAFileAndTagsLinesWithItsPath() throws Exception {
        Path f = write(tmp.resolve("exports"), "# x\n/srv *(rw)\n");
        ExportTable t = ExportTable.load(f);
        assertThat(t.byPath("/srv").orElseThrow().rules().get(0).source()).isEqualTo(f + ":2");
    }

    @Test
    void errorInAFileNamesThatFileAndLine() throws Exception {
        Path f = write(tmp.resolve("exports"), "/a *\n\n\n/b *(rw,nope)\n");
        assertThatThrownBy(() -> ExportTable.load(f)).hasMessage(f + ":4: unknown export option \"nope\"");
    }

    @Test
    void missingFileIsAnExportsExceptionNamingIt() {
        Path f = tmp.resolve("nope");
        assertThatThrownBy(() -> ExportTable.load(f)).isInstanceOf(ExportsException.class)
                .hasMessage(f + ": no such file");
    }

    @Test
    void directoryInsteadOfFileIsAnExportsException() {
        assertThatThrownBy(() -> ExportTable.load(tmp)).isInstanceOf(ExportsException.class)
                .hasMessageStartingWith(tmp + ": cannot read");
    }

    @Test
    void fileUnderEtcReadsItsDotDDropInsInNameOrderAfterIt() throws Exception {
        Path etc = tmp.resolve("etc");
        Path main = write(etc.resolve("exports"), "/srv 10.0.0.1(rw)\n");
        write(etc.resolve("exports.d/20-b.exports"), "/srv 10.0.0.3\n/b *\n");
        write(etc.resolve("exports.d/10-a.exports"), "/srv 10.0.0.2\n");
        write(etc.resolve("exports.d/.hidden.exports"), "/hidden *\n");
        write(etc.resolve("exports.d/notes.txt"), "/txt *\n");
        write(etc.resolve("exports.d/backup.exports~"), "/backup *\n");
        Files.createDirectories(etc.resolve("exports.d/dir.exports"));
        List<SourcedLine> lines = ExportsFile.load(main, etc);
        ExportTable t = ExportTable.parse(lines);
        assertThat(t.exports()).extracting(Export::path).containsExactly("/srv", "/b");
        assertThat(t.byPath("/srv").orElseThrow().rules()).extracting(ExportRule::source).containsExactly(
                main + ":1", etc.resolve("exports.d/10-a.exports") + ":1", etc.resolve("exports.d/20-b.exports") + ":1");
    }

    @Test
    void packagedConfigReadsItsOwnDropInsButNotKnfsdOnes() throws Exception {
        Path etc = tmp.resolve("etc");
        Path main = write(etc.resolve("edge-nfsd/exports"), "/var/nfs-k8s *(rw,sync,no_root_squash)\n");
        write(etc.resolve("edge-nfsd/exports.d/extra.exports"), "/data *(ro)\n");
        write(etc.resolve("exports.d/kernel.exports"), "/kernel *\n");
        ExportTable t = ExportTable.parse(ExportsFile.load(main, etc));
        assertThat(t.exports()).extracting(Export::path).containsExactly("/var/nfs-k8s", "/data");
    }

    @Test
    void fileOutsideEtcNeverReadsDropIns() throws Exception {
        Path etc = tmp.resolve("etc");
        Path main = write(tmp.resolve("home/exports"), "/srv *\n");
        write(tmp.resolve("home/exports.d/x.exports"), "/x *\n");
        assertThat(ExportTable.parse(ExportsFile.load(main, etc)).exports()).extracting(Export::path)
                .containsExactly("/srv");
    }

    @Test
    void duplicateClientAcrossMainFileAndDropInNamesBothFiles() throws Exception {
        Path etc = tmp.resolve("etc");
        Path main = write(etc.resolve("exports"), "# main\n/srv 10.0.0.0/8(rw)\n");
        Path d = write(etc.resolve("exports.d/k8s.exports"), "\n\n/srv/ 10.0.0.0/255.0.0.0(ro)\n");
        assertThatThrownBy(() -> ExportTable.parse(ExportsFile.load(main, etc))).hasMessage(d
                + ":3: client \"10.0.0.0/255.0.0.0\" for /srv is already given at " + main + ":2 as \"10.0.0.0/8\"");
    }

    @Test
    void continuationDoesNotRunFromOneFileIntoTheNext() throws Exception {
        Path etc = tmp.resolve("etc");
        Path main = write(etc.resolve("exports"), "/srv *(rw) \\\n");
        write(etc.resolve("exports.d/a.exports"), "/a *\n");
        assertThat(ExportTable.parse(ExportsFile.load(main, etc)).exports()).extracting(Export::path)
                .containsExactly("/srv", "/a");
    }

    @Test
    void crlfFileWithByteOrderMarkAndNoFinalNewlineLoads() throws Exception {
        Path f = write(tmp.resolve("exports"), "\uFEFF# made on Windows\r\n/srv *(rw)\r\n/b *");
        ExportTable t = ExportTable.load(f);
        assertThat(t.exports()).extracting(Export::path).containsExactly("/srv", "/b");
        assertThat(t.byPath("/b").orElseThrow().rules().get(0).source()).isEqualTo(f + ":3");
    }

    @Test
    void messyKnfsdStyleFileLoadsWithTheRightOptionsForEachClient() throws Exception {
        String text = String.join("\n",
                "#",
                "# /etc/exports: the access control list for filesystems which may be exported",
                "#               to NFS clients.  See exports(5).",
                "#",
                "# Example for NFSv2 and NFSv3:",
                "# /srv/homes       hostname1(rw,sync,no_subtree_check) hostname2(ro,sync,no_subtree_check)",
                "",
                "/srv/nfs4        10.0.2.0/24(rw,sync,fsid=0,crossmnt,no_subtree_check)",
                "/srv/nfs4/homes  10.0.2.0/24(rw,sync,no_subtree_check)   # homes",
                "/export/media\t\t192.168.1.0/255.255.255.0(ro,all_squash,anonuid=1000,anongid=1000,insecure) \\",
                "\t\t\t*.lan(ro) \\",
                "\t\t\tkodi.lan(rw,no_root_squash)",
                "\"/mnt/usb disk\"   -rw,async  192.168.1.20 192.168.1.21(ro)",
                "/mnt/backup\\040copy  nas(rw,sync,no_wdelay,nohide,mp)",
                "/var/nfs-k8s *(rw,sync,no_root_squash,no_all_squash)",
                "/opt/share       2001:db8:1::/48(rw) [2001:db8:2::5](rw) ::ffff:192.168.7.7(rw,insecure)",
                "/legacy          pc0?.lan(rw,no_acl,insecure_locks) host[a-c].lan(ro,sec=sys)",
                "/legacy          192.168.1.*(rw,sec=sys:sys,no_auth_nlm)",
                "");
        Path f = write(tmp.resolve("exports"), text);
        ExportTable t = ExportTable.load(f).withResolver(new FakeNames()
                .name("192.168.1.50", "kodi.lan").name("192.168.1.51", "tv.lan").name("192.168.9.9", "pc07.lan")
                .name("192.168.9.10", "hostb.lan").name("10.5.5.5", "box.lan"));
        assertThat(t.exports()).extracting(Export::path).containsExactly("/srv/nfs4", "/srv/nfs4/homes",
                "/export/media", "/mnt/usb disk", "/mnt/backup copy", "/var/nfs-k8s", "/opt/share", "/legacy");
        assertThat(t.byPath("/srv/nfs4").orElseThrow().isFsidRoot()).isTrue();
        assertThat(t.byPath("/srv/nfs4").orElseThrow().optionsFor(ip("10.0.2.15")).orElseThrow().crossmnt()).isTrue();
        assertThat(t.byPath("/srv/nfs4").orElseThrow().optionsFor(ip("10.0.3.15"))).isEmpty();

        Export media = t.byPath("/export/media").orElseThrow();
        ExportOptions kodi = media.optionsFor(ip("192.168.1.50")).orElseThrow(); // host name beats the network
        assertThat(kodi.readOnly()).isFalse();
        assertThat(kodi.rootSquash()).isFalse();
        ExportOptions tv = media.optionsFor(ip("192.168.1.51")).orElseThrow(); // network beats *.lan
        assertThat(tv.allSquash()).isTrue();
        assertThat(tv.anonUid()).isEqualTo(1000);
        assertThat(tv.secure()).isFalse();
        ExportOptions box = media.optionsFor(ip("10.5.5.5")).orElseThrow(); // only *.lan
        assertThat(box.readOnly()).isTrue();
        assertThat(box.allSquash()).isFalse();
        assertThat(media.optionsFor(ip("10.9.9.9"))).isEmpty(); // no name, outside the network
        assertThat(media.rules()).extracting(ExportRule::source).containsExactly(f + ":10", f + ":11", f + ":12");

        Export usb = t.byPath("/mnt/usb disk").orElseThrow();
        assertThat(usb.optionsFor(ip("192.168.1.20")).orElseThrow().readOnly()).isFalse();
        assertThat(usb.optionsFor(ip("192.168.1.20")).orElseThrow().sync()).isFalse();
        assertThat(usb.optionsFor(ip("192.168.1.21")).orElseThrow().readOnly()).isTrue();
        assertThat(usb.optionsFor(ip("192.168.1.21")).orElseThrow().sync()).isFalse();

        Export backup = t.byPath("/mnt/backup copy").orElseThrow();
        assertThat(backup.mountpoint()).contains("");
        assertThat(backup.rules().get(0).options().noHide()).isTrue();

        Export opt = t.byPath("/opt/share").orElseThrow();
        assertThat(opt.optionsFor(ip("2001:db8:1:ffff::1"))).isPresent();
        assertThat(opt.optionsFor(ip("2001:db8:2::5"))).isPresent();
        assertThat(opt.optionsFor(ip("192.168.7.7")).orElseThrow().secure()).isFalse();

        Export legacy = t.byPath("/legacy").orElseThrow();
        assertThat(legacy.optionsFor(ip("192.168.9.9")).orElseThrow().readOnly()).isFalse();
        assertThat(legacy.optionsFor(ip("192.168.9.10")).orElseThrow().readOnly()).isTrue();
        assertThat(legacy.optionsFor(ip("192.168.1.77")).orElseThrow().readOnly()).isFalse();
        assertThat(legacy.optionsFor(ip("10.0.0.1"))).isEmpty();
    }

    @Test
    void secondMessyFileWithDefaultsLinesAndOddSpacingLoads() throws Exception {
        String text = String.join("\n",
                "   /          master(rw) trusty(rw,no_root_squash)   ",
                "/projects proj*.local.domain(rw)",
                "/home/joe\tpc001(rw,all_squash,anonuid=150,anongid=100)",
                "/pub   *(ro,insecure,all_squash)",
                "/srv/www -sync,rw server web?.dmz(ro)",
                "/foo 2001:db8:9:e54::/64(rw) 192.0.2.0/24(rw)",
                "/build buildhost[0-9].local.domain(rw)",
                "/nohosts",
                "# the end");
        Path f = write(tmp.resolve("exports"), text);
        ExportTable t = ExportTable.load(f).withResolver(new FakeNames().name("10.1.1.1", "trusty")
                .name("10.1.1.2", "web3.dmz").name("10.1.1.3", "server").name("10.1.1.4", "buildhost7.local.domain"));
        assertThat(t.exports()).hasSize(8);
        assertThat(t.byPath("/").orElseThrow().optionsFor(ip("10.1.1.1")).orElseThrow().rootSquash()).isFalse();
        assertThat(t.byPath("/").orElseThrow().optionsFor(ip("10.1.1.2"))).isEmpty();
        assertThat(t.byPath("/srv/www").orElseThrow().optionsFor(ip("10.1.1.2")).orElseThrow().readOnly()).isTrue();
        assertThat(t.byPath("/srv/www").orElseThrow().optionsFor(ip("10.1.1.3")).orElseThrow().readOnly()).isFalse();
        assertThat(t.byPath("/build").orElseThrow().optionsFor(ip("10.1.1.4"))).isPresent();
        assertThat(t.byPath("/pub").orElseThrow().optionsFor(ip("10.1.1.9")).orElseThrow().allSquash()).isTrue();
        assertThat(t.byPath("/nohosts").orElseThrow().optionsFor(ip("10.1.1.9"))).contains(ExportOptions.knfsdDefaults());
    }
}
