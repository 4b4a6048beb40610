package io.edgenfsd.vfs;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.ops.ProtocolTestBase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Squashing and client matching seen through the protocol: who owns what on disk, who sees which export. */
class ExportIdentityTest extends ProtocolTestBase {

    private static Object uid(Path p) throws Exception {
        return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void noRootSquashKeepsFilesCreatedByRootOwnedByRoot() throws Exception {
        root.create(dirFh, "r", Attrs.none());
        assertThat(uid(dir.resolve("r"))).isEqualTo(0);
    }

    @Test
    void rootSquashMakesFilesCreatedByRootBelongToAnonuid() throws Exception {
        String name = "rs-" + System.nanoTime();
        byte[] exp = root.lookupPath(export("squash"));
        root.create(exp, name, Attrs.none());
        Path p = base.resolve("squash").resolve(name);
        assertThat(uid(p)).isEqualTo(1234);
        assertThat(Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
        NfsSession user = session(Cred.sys(1000, 1000));
        user.create(exp, name + "-u", Attrs.none());
        assertThat(uid(base.resolve("squash").resolve(name + "-u"))).as("non-root is kept").isEqualTo(1000);
    }

    @Test
    void allSquashMapsEveryUserToAnonuid() throws Exception {
        String name = "as-" + System.nanoTime();
        byte[] exp = root.lookupPath(export("allsquash"));
        NfsSession user = session(Cred.sys(1000, 1000, 10, 20));
        user.create(exp, name, Attrs.none());
        root.create(exp, name + "-root", Attrs.none());
        assertThat(uid(base.resolve("allsquash").resolve(name))).isEqualTo(2345);
        assertThat(uid(base.resolve("allsquash").resolve(name + "-root"))).isEqualTo(2345);
    }

    @Test
    void rootSquashedCallerCannotReadARootOnlyFile() throws Exception {
        Path secret = base.resolve("squash").resolve("secret-" + System.nanoTime());
        Files.writeString(secret, "s");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        byte[] exp = root.lookupPath(export("squash"));
        assertThat(root.compound(c -> c.putfh(exp).open(io.edgenfsd.client.Op.ACCESS_READ, 0, root.clientId(),
                root.openOwner(), secret.getFileName().toString())).status()).isEqualTo(NfsStatus.ACCESS);
    }

    @Test
    void anExportForAnotherAddressOnlyIsInvisible() {
        NfsStatus s = root.compound(c -> {
            c.putrootfh();
            for (String part : export("hidden").substring(1).split("/")) {
                c.lookup(part);
            }
        }).status();
        assertThat(s).isEqualTo(NfsStatus.NOENT);
    }
}
